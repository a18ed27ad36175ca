package dev.ippools.mailgun;

import dev.ippools.mailgun.cli.EmulatorCommand;
import dev.ippools.mailgun.cli.ImportCommand;
import dev.ippools.mailgun.cli.LocalCommand;
import dev.ippools.mailgun.cli.PlanCommand;
import dev.ippools.mailgun.cli.RunCommand;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the single jar; each command is a subcommand, {@code run} the default one. */
@Command(
        name = "mailgun-ip-pool-operator",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Mailgun dedicated IP pools, declared in Kubernetes.",
        subcommands = {
            CommandLine.HelpCommand.class,
            RunCommand.class,
            EmulatorCommand.class,
            PlanCommand.class,
            ImportCommand.class,
            LocalCommand.class
        })
public final class Main implements Runnable {

    private static final Set<String> OWN_OPTIONS = Set.of("-h", "--help", "-V", "--version");

    public static void main(String[] args) {
        System.exit(commandLine().execute(withDefaultCommand(args)));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    /** No arguments, or options that are not the jar's own, mean {@code run}. */
    static String[] withDefaultCommand(String[] args) {
        if (args.length == 0 || (args[0].startsWith("-") && !OWN_OPTIONS.contains(args[0]))) {
            return Stream.concat(Stream.of("run"), Stream.of(args)).toArray(String[]::new);
        }
        return args;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"mailgun-ip-pool-operator " + (v == null ? "dev" : v)};
        }
    }
}
