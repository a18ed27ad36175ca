package dev.ippools.mailgun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.cli.OperatorSettings.Setting;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@link OperatorSettings} is the list of {@code run}'s settings: its options, {@code --help} and
 * the README's configuration table follow it (the chart is held to it in {@code HelmChartTest}).
 */
class OperatorSettingsTest {

    static final Path README = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "README.md");

    static List<Setting> settings() {
        return Arrays.stream(OperatorSettings.class.getRecordComponents())
                .map(c -> c.getAnnotation(Setting.class))
                .toList();
    }

    private static CommandLine.Model.CommandSpec run() {
        return new CommandLine(new RunCommand()).setInterpolateVariables(false).getCommandSpec();
    }

    @Test
    void everyComponentIsASettingWithAFlagAndAVariable() {
        for (RecordComponent c : OperatorSettings.class.getRecordComponents()) {
            assertThat(c.getAnnotation(Setting.class)).as(c.getName()).isNotNull();
        }
        assertThat(settings().stream().map(Setting::env)).doesNotHaveDuplicates();
    }

    @Test
    void runHasAnOptionForEverySettingAndNoOther() {
        List<String> options = run().options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp())
                .map(OptionSpec::longestName)
                .toList();
        assertThat(options)
                .containsExactlyInAnyOrderElementsOf(
                        settings().stream().map(Setting::flag).toList());
    }

    @Test
    void eachOptionFallsBackToTheSettingsVariableAndDefault() {
        for (Setting s : settings()) {
            OptionSpec option = run().findOption(s.flag());
            String expected = Setting.NO_FALLBACK.equals(s.fallback())
                    ? "${env:" + s.env() + "}"
                    : "${env:" + s.env() + ":-" + s.fallback() + "}";
            assertThat(option.defaultValue()).as(s.flag()).isEqualTo(expected);
        }
    }

    @Test
    void helpNamesEachVariableAndDefault() {
        // Wide enough that no default is broken over lines.
        String help = new CommandLine(new RunCommand()).setUsageHelpWidth(1000).getUsageMessage();
        for (Setting s : settings()) {
            // The option's entry in the list (not the synopsis), up to the next option.
            Matcher entry = Pattern.compile("(?ms)^ +" + s.flag() + "[=\\[ ].*?(?=^ +-|\\z)")
                    .matcher(help);
            assertThat(entry.find()).as(s.flag()).isTrue();
            String description = entry.group().replaceAll("\\s+", " ");
            assertThat(description).as(s.flag()).contains("env " + s.env());
            if (!s.fallback().isEmpty() && !Setting.NO_FALLBACK.equals(s.fallback())) {
                assertThat(description).as(s.flag()).contains("Default: " + s.fallback());
            }
        }
    }

    @Test
    void noArgumentsGiveTheDocumentedDefaults() {
        RunCommand command = new RunCommand();
        new CommandLine(command).parseArgs();
        OperatorSettings defaults = command.settings();
        assertThat(defaults.pollInterval()).hasSeconds(60);
        assertThat(defaults.problems()).isEmpty();
        // Each default given as its flag parses to the same value (unless the environment set it).
        for (RecordComponent c : OperatorSettings.class.getRecordComponents()) {
            Setting s = c.getAnnotation(Setting.class);
            if (System.getenv(s.env()) != null || Setting.NO_FALLBACK.equals(s.fallback())) {
                continue;
            }
            RunCommand explicit = new RunCommand();
            new CommandLine(explicit).parseArgs(s.flag() + "=" + s.fallback());
            assertThat(value(c, explicit.settings())).as(s.flag()).isEqualTo(value(c, defaults));
        }
    }

    @Test
    void theReadmeTableListsEverySettingWithItsVariableAndDefault() throws IOException {
        Map<String, String[]> rows = configurationTable();
        assertThat(rows.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        settings().stream().map(Setting::flag).toList());
        for (Setting s : settings()) {
            String[] row = rows.get(s.flag());
            assertThat(row[0]).as(s.flag()).isEqualTo("`" + s.env() + "`");
            if (!s.fallback().isEmpty() && !Setting.NO_FALLBACK.equals(s.fallback())) {
                assertThat(row[1]).as(s.flag()).isEqualTo("`" + s.fallback() + "`");
            }
        }
    }

    /** The rows of the README's configuration table: flag to variable and default cells. */
    static Map<String, String[]> configurationTable() throws IOException {
        String readme = Files.readString(README);
        int section = readme.indexOf("\n## Configuration\n");
        String body = readme.substring(section, readme.indexOf("\n## ", section + 1));
        Pattern row = Pattern.compile("(?m)^\\| `(--[a-z-]+)` \\| ([^|]+) \\| ([^|]+) \\|");
        Map<String, String[]> rows = new LinkedHashMap<>();
        Matcher m = row.matcher(body);
        while (m.find()) {
            rows.put(m.group(1), new String[] {m.group(2).trim(), m.group(3).trim()});
        }
        return rows;
    }

    private static Object value(RecordComponent c, OperatorSettings settings) {
        try {
            return c.getAccessor().invoke(settings);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
