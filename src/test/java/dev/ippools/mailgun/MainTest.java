package dev.ippools.mailgun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.cli.RunCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

class MainTest {

    private static String commandOf(String... args) {
        ParseResult result = Main.commandLine().parseArgs(Main.withDefaultCommand(args));
        return result.hasSubcommand() ? result.subcommand().commandSpec().name() : "(top level)";
    }

    @Test
    void runIsTheDefaultCommand() {
        assertThat(commandOf()).isEqualTo("run");
        assertThat(commandOf("--namespaces", "mail", "--log-format", "json")).isEqualTo("run");
    }

    @Test
    void namedCommandsAndTheJarsOwnOptionsAreLeftAlone() {
        assertThat(commandOf("run", "--http-port", "0")).isEqualTo("run");
        assertThat(commandOf("emulator", "--port", "0")).isEqualTo("emulator");
        assertThat(commandOf("local", "--no-samples")).isEqualTo("local");
        assertThat(commandOf("--help")).isEqualTo("(top level)");
        assertThat(commandOf("--version")).isEqualTo("(top level)");
    }

    @Test
    void runIsRegistered() {
        Object run = Main.commandLine().getSubcommands().get("run").getCommand();
        assertThat(run).isInstanceOf(RunCommand.class);
    }
}
