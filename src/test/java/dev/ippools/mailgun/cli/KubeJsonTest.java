package dev.ippools.mailgun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.api.v1alpha1.IpPool;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class KubeJsonTest {

    private static final String POOL = """
            {"apiVersion": "mailgun.ippools.dev/v1alpha1", "kind": "IpPool",
             "metadata": {"name": "p", "namespace": "team", "uid": "u1", "resourceVersion": "7",
               "labels": {"team": "mail"}, "annotations": {"a": "b"},
               "managedFields": [{"manager": "mailgun-ip-pool-operator", "operation": "Apply",
                 "fieldsType": "FieldsV1", "fieldsV1": {"f:status": {"f:conditions": {}}}}],
               "somethingNew": 1},
             "spec": {"ips": ["10.0.0.1"]},
             "status": {"poolId": "abc"}}
            """;

    @Test
    void readsEverythingButManagedFields() {
        KubernetesSerialization json = KubeJson.withoutManagedFields();
        IpPool pool = json.unmarshal(POOL, IpPool.class);

        assertThat(pool.getMetadata().getManagedFields()).isEmpty();
        assertThat(pool.getMetadata().getName()).isEqualTo("p");
        assertThat(pool.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(pool.getMetadata().getLabels()).containsEntry("team", "mail");
        assertThat(pool.getMetadata().getAnnotations()).containsEntry("a", "b");
        assertThat(pool.getSpec().ips()).containsExactly("10.0.0.1");
        assertThat(pool.getStatus().poolId()).isEqualTo("abc");
        assertThat(json.asJson(pool)).doesNotContain("managedFields").contains("\"poolId\":\"abc\"");
        // the default mapping keeps them, which is what this one saves
        assertThat(new KubernetesSerialization()
                        .unmarshal(POOL, IpPool.class)
                        .getMetadata()
                        .getManagedFields())
                .hasSize(1);
    }
}
