package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.Policy;
import dev.cairn.api.ApiModels.PolicyView;
import dev.cairn.cli.CairnCommand;
import dev.cairn.cli.Table;
import dev.cairn.cli.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "policy", description = {"Set and show the promotion policy: the rules a version must meet before it "
        + "may hold Production or a protected alias.",
    "A model's own policy replaces the registry default whole (admin only)."},
        subcommands = {PolicyCommand.Set.class, PolicyCommand.Show.class, PolicyCommand.Reset.class})
public final class PolicyCommand {

    @Command(name = "set", description = {"Replace the policy of MODEL (or the default policy) with exactly the rules "
            + "given here: a rule not given is not required; four-eyes stays on unless --no-four-eyes.",
        "Give MODEL first: --require-staging takes an optional duration after it."})
    static final class Set extends CairnCommand {
        @Parameters(arity = "0..1", paramLabel = "MODEL")
        String model;

        @Option(names = "--default", description = "Set the registry's default policy instead of a model's.")
        boolean defaultPolicy;

        @Option(names = "--min-metric", paramLabel = "NAME=VALUE",
                description = "Metric NAME must be recorded and at least VALUE (auc=0.9); repeatable.")
        Map<String, Double> minMetrics = new LinkedHashMap<>();

        @Option(names = "--max-metric", paramLabel = "NAME=VALUE",
                description = "Metric NAME must be recorded and at most VALUE (latency_ms=20); repeatable.")
        Map<String, Double> maxMetrics = new LinkedHashMap<>();

        @Option(names = "--require-dataset-digest", description = "At least one dataset with a sha256 digest.")
        boolean requireDatasetDigest;

        @Option(names = "--require-commit", description = "A code commit in the lineage.")
        boolean requireCommit;

        @Option(names = "--require-clean-tree", description = "Built from a work tree without uncommitted changes.")
        boolean requireCleanTree;

        @Option(names = "--require-staging", arity = "0..1", fallbackValue = "", paramLabel = "DURATION",
                description = "The version must have been in Staging first; for at least DURATION (24h, 3d) when "
                        + "given.")
        String requireStaging;

        @Option(names = "--require-compatible-signature",
                description = "No input removed and no type changed against the current Production version.")
        boolean requireCompatibleSignature;

        @Option(names = "--approvals", paramLabel = "N", description = "Approvals a transition request needs "
                + "(default 0: an approver may move the version directly).")
        int approvals;

        @Option(names = "--protect-alias", paramLabel = "ALIAS",
                description = "An alias only approvers move, under these rules; repeatable.")
        List<String> protectedAliases = new ArrayList<>();

        @Option(names = "--no-four-eyes", description = "Let the requester approve their own request.")
        boolean noFourEyes;

        @Override
        protected int run() {
            requireOne(spec, model, defaultPolicy);
            boolean staging = requireStaging != null;
            String stagingFor = staging && !requireStaging.isBlank() ? requireStaging : null;
            Policy policy = new Policy(minMetrics, maxMetrics, requireDatasetDigest, requireCommit, requireCleanTree,
                    staging, stagingFor, requireCompatibleSignature, approvals, !noFourEyes,
                    protectedAliases.stream().map(AliasCommand::strip).toList());
            PolicyView view = model == null ? client().setDefaultPolicy(policy) : client().setPolicy(model, policy);
            return print(view, () -> describe(view).print(out()));
        }
    }

    @Command(name = "show", description = "Show the policy that governs MODEL (its own or the default), or the default.")
    static final class Show extends CairnCommand {
        @Parameters(arity = "0..1", paramLabel = "MODEL")
        String model;

        @Option(names = "--default", description = "Show the registry's default policy.")
        boolean defaultPolicy;

        @Override
        protected int run() {
            requireOne(spec, model, defaultPolicy);
            PolicyView view = model == null ? client().defaultPolicy() : client().policy(model);
            return print(view, () -> describe(view).print(out()));
        }
    }

    @Command(name = "reset", description = "Drop MODEL's own policy: the default policy governs it again.")
    static final class Reset extends CairnCommand {
        @Parameters(paramLabel = "MODEL")
        String model;

        @Override
        protected int run() {
            PolicyView view = client().deletePolicy(model);
            return print(view, () -> describe(view).print(out()));
        }
    }

    /** Exactly one of MODEL and --default, else a usage error (exit 2). */
    private static void requireOne(CommandSpec spec, String model, boolean defaultPolicy) {
        if ((model == null) == !defaultPolicy) {
            throw new ParameterException(spec.commandLine(), model == null ? "give a MODEL or --default"
                    : "give a MODEL or --default, not both");
        }
    }

    static Table describe(PolicyView view) {
        Policy p = view.policy();
        String governs = view.model() == null ? "the default policy"
                : view.model() + " (" + ("model".equals(view.source()) ? "its own policy" : "the default policy") + ")";
        String staging = !Boolean.TRUE.equals(p.requireStaging()) ? "no"
                : p.stagingFor() == null ? "yes" : "yes, for at least " + p.stagingFor();
        return Table.headless()
                .row("policy of:", governs)
                .row("min metrics:", thresholds(p.minMetrics(), ">="))
                .row("max metrics:", thresholds(p.maxMetrics(), "<="))
                .row("dataset digest:", yesNo(p.requireDatasetDigest()))
                .row("code commit:", yesNo(p.requireCommit()))
                .row("clean work tree:", yesNo(p.requireCleanTree()))
                .row("staging first:", staging)
                .row("compatible signature:", yesNo(p.requireCompatibleSignature()))
                .row("approvals:", p.approvals() == null ? 0 : p.approvals())
                .row("four eyes:", p.fourEyes() == null || p.fourEyes() ? "yes" : "no")
                .row("protected aliases:", p.protectedAliases() == null ? null
                        : p.protectedAliases().stream().map(a -> "@" + a).collect(Collectors.joining(", ")));
    }

    private static String thresholds(Map<String, Double> metrics, String operator) {
        return metrics == null ? null : new TreeMap<>(metrics).entrySet().stream()
                .map(e -> e.getKey() + " " + operator + " " + Text.number(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String yesNo(Boolean value) {
        return Boolean.TRUE.equals(value) ? "yes" : "no";
    }
}
