package dev.ippools.mailgun.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.api.v1alpha1.Adoption;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBindingSpec;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBindingStatus;
import dev.ippools.mailgun.api.v1alpha1.PoolReference;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A binding adopts only unchanged until it has settled once, unless spec.adoption says so. */
class BindingAdoptionMappingTest {

    private static DomainPoolBinding binding(Adoption adoption, String readyReason) {
        DomainPoolBinding b = new DomainPoolBinding();
        b.setMetadata(
                new ObjectMetaBuilder().withName("web").withNamespace("mail").build());
        b.setSpec(new DomainPoolBindingSpec(
                "mail.example.com", new PoolReference("a"), null, null, null, null, null, null, adoption));
        if (readyReason != null) {
            b.setStatus(new DomainPoolBindingStatus(
                    null,
                    null,
                    1L,
                    List.of(new ConditionBuilder()
                            .withType("Ready")
                            .withStatus("False")
                            .withReason(readyReason)
                            .build())));
        }
        return b;
    }

    @Test
    void newAndStillAdoptingBindingsMayNotMoveADomain() {
        assertThat(DesiredMapper.binding(binding(null, null)).adoptsOnlyUnchanged())
                .isTrue();
        assertThat(DesiredMapper.binding(binding(null, "AdoptionWouldChange")).adoptsOnlyUnchanged())
                .isTrue();
        assertThat(DesiredMapper.binding(binding(null, "Progressing")).adoptsOnlyUnchanged())
                .isTrue();
    }

    @Test
    void settledOrOverwritingBindingsMoveAsUsual() {
        assertThat(DesiredMapper.binding(binding(null, "Waiting")).adoptsOnlyUnchanged())
                .isFalse();
        assertThat(DesiredMapper.binding(binding(Adoption.OVERWRITE, null)).adoptsOnlyUnchanged())
                .isFalse();
    }
}
