package dev.ippools.mailgun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The CRD commands the README and the chart's NOTES.txt give, run as written with the kubectl
 * that comes with the API server: the upgrade over CRDs an older release installed (as Helm does
 * on first install), and the removal. crds/ also holds the kustomization config/ uses.
 */
@WithApiServer(crds = false)
class CrdUpgradeE2E {

    static final Pattern CRD_COMMAND = Pattern.compile("kubectl [^`\\n]*crds/");
    static final String OLD_DESCRIPTION = "an older release's description";

    static ApiServer api;

    /** The distinct kubectl commands on crds/ in a document, in order. */
    static List<String> crdCommands(Path document) throws IOException {
        Set<String> commands = new LinkedHashSet<>();
        Matcher m = CRD_COMMAND.matcher(Files.readString(document));
        while (m.find()) {
            commands.add(m.group());
        }
        return List.copyOf(commands);
    }

    private static ApiServer.Result run(String command) {
        List<String> args = new ArrayList<>(Arrays.asList(command.split(" ")));
        assertThat(args.remove(0)).isEqualTo("kubectl");
        return api.kubectl(args.toArray(String[]::new));
    }

    private static String description(String crd) {
        return api.admin
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(crd)
                .get()
                .getSpec()
                .getVersions()
                .get(0)
                .getSchema()
                .getOpenAPIV3Schema()
                .getDescription();
    }

    @Test
    void theDocumentedCommandsUpgradeAndRemoveTheCrdsAsWritten() throws IOException {
        List<String> readme = crdCommands(Path.of("README.md"));
        List<String> upgrades =
                readme.stream().filter(c -> c.startsWith("kubectl apply")).toList();
        List<String> removals =
                readme.stream().filter(c -> c.startsWith("kubectl delete")).toList();
        assertThat(upgrades).as("README's CRD upgrade command").isNotEmpty();
        assertThat(removals).as("README's CRD removal command").isNotEmpty();
        assertThat(readme).containsAll(crdCommands(Path.of("helm/mailgun-ip-pool-operator/templates/NOTES.txt")));

        // An older release's CRDs, created the way Helm installs them (not server-side applied).
        List<CustomResourceDefinition> committed = api.installCrds();
        List<String> names =
                committed.stream().map(c -> c.getMetadata().getName()).toList();
        String newDescription = description(names.get(0));
        for (String name : names) {
            api.admin
                    .apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(name)
                    .edit(crd -> {
                        crd.getSpec()
                                .getVersions()
                                .get(0)
                                .getSchema()
                                .getOpenAPIV3Schema()
                                .setDescription(OLD_DESCRIPTION);
                        return crd;
                    });
        }

        for (String command : upgrades) {
            // Twice: a second upgrade with nothing new must pass too.
            for (int i = 0; i < 2; i++) {
                ApiServer.Result result = run(command).assertSuccess();
                for (String name : names) {
                    assertThat(result.output()).as(command).contains(name + " serverside-applied");
                }
            }
            assertThat(description(names.get(0))).as(command).isEqualTo(newDescription);
        }

        // The kustomization that shares crds/ still builds for config/.
        assertThat(api.kubectl("kustomize", "config/default").assertSuccess().output())
                .contains("name: " + names.get(0), "name: " + names.get(1));

        for (String command : removals) {
            run(command + " --wait=true").assertSuccess();
        }
        assertThat(api.admin
                        .apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .list()
                        .getItems())
                .noneMatch(crd -> names.contains(crd.getMetadata().getName()));
    }
}
