package dev.ippools.mailgun;

import dev.ippools.mailgun.cli.EmulatorCommand;
import dev.ippools.mailgun.cli.LocalCommand;
import dev.ippools.mailgun.cli.PlanCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the single jar; each command is a subcommand. */
@Command(
    name = "mailgun-ip-pool-operator",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Mailgun dedicated IP pools, declared in Kubernetes.",
    subcommands = {
      CommandLine.HelpCommand.class,
      EmulatorCommand.class,
      PlanCommand.class,
      LocalCommand.class
    })
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main());
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
