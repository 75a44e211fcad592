package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.PromotionCheck;
import dev.cairn.api.ApiModels.Transition;
import dev.cairn.api.ApiModels.Version;
import dev.cairn.cli.CairnCommand;
import dev.cairn.cli.ExitCodes;
import dev.cairn.cli.PolicyChecks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "promote", description = {"Move a version to a stage.",
    "Staging and Production hold one version: moving a version in archives the previous holder.",
    "Production is governed by the model's promotion policy (cairn policy show NAME): a promotion it blocks is "
            + "refused with its failed checks (exit status 4); --dry-run only checks."})
public final class PromoteCommand extends CairnCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "VERSION")
    int version;

    @Option(names = "--to", required = true, paramLabel = "STAGE",
            description = "staging, production, archived or none.")
    String stage;

    @Option(names = {"-m", "--comment"}, paramLabel = "TEXT", description = "Why; recorded in the history.")
    String comment;

    @Option(names = "--dry-run", description = "Move nothing: print each policy check as PASS or FAIL; exit 0 when "
            + "the promotion would be allowed, 4 when not.")
    boolean dryRun;

    @Override
    protected int run() {
        if (dryRun) {
            PromotionCheck check = client().promotionCheck(name, version, stage);
            print(check, () -> {
                PolicyChecks.table(check.checks()).print(out());
                out().println((check.allowed() ? "allowed: " : "blocked: ") + name + " version " + version
                        + (check.allowed() ? " may move to " : " may not move to ") + check.target());
            });
            return check.allowed() ? ExitCodes.OK : ExitCodes.CONFLICT;
        }
        Version v = client().transition(name, version, new Transition(stage, comment, null));
        return print(v, () -> out().println(v.name() + " version " + v.version() + " is now in " + v.stage()));
    }
}
