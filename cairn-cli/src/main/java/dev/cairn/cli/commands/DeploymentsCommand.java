package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.Deployment;
import dev.cairn.api.ApiModels.DeploymentList;
import dev.cairn.cli.CairnCommand;
import dev.cairn.cli.Table;
import dev.cairn.cli.Text;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "deployments", description = {"Show which instances serve which version of a model right now:",
    "serving clients (LiveModel) report every 30 s; an instance is live while it reported in the last 90 s.",
    "With --all: also the instances that stopped reporting (kept 7 days)."})
public final class DeploymentsCommand extends CairnCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--all", description = "Include instances that stopped reporting (no heartbeat in the last 90 s).")
    boolean all;

    @Override
    protected int run() {
        DeploymentList list = client().deployments(name, all);
        List<Deployment> rows = list.deployments() == null ? List.of() : list.deployments();
        return print(list, () -> {
            if (!rows.isEmpty()) {
                Table table = all
                        ? new Table("INSTANCE", "VERSION", "SINCE", "LAST SEEN", "LIVE", "HOST", "REPORTED BY", "REFERENCE")
                        : new Table("INSTANCE", "VERSION", "SINCE", "LAST SEEN", "HOST", "REPORTED BY", "REFERENCE");
                for (Deployment d : rows) {
                    List<Object> cells = new ArrayList<>(List.of(d.instanceId(), d.version(), Text.time(d.since()),
                            Text.time(d.lastSeen())));
                    if (all) {
                        cells.add(d.live() ? "yes" : "no");
                    }
                    cells.add(d.host());
                    cells.add(d.reportedBy());
                    cells.add(d.reference());
                    table.row(cells.toArray());
                }
                table.print(out());
            }
            out().println(summary(name, rows));
        });
    }

    /** "2 instances serve version 7, 1 serves version 6", counting live instances only. */
    static String summary(String model, List<Deployment> rows) {
        Map<Integer, Integer> live = new TreeMap<>(Comparator.reverseOrder());
        rows.stream().filter(Deployment::live).forEach(d -> live.merge(d.version(), 1, Integer::sum));
        if (live.isEmpty()) {
            return model + ": no live instance reported in the last 90 s";
        }
        List<String> parts = new ArrayList<>();
        live.forEach((version, count) -> parts.add(count == 1 ? "1 serves version " + version
                : count + " instances serve version " + version));
        String first = parts.get(0);
        if (first.startsWith("1 serves")) {
            parts.set(0, "1 instance serves" + first.substring("1 serves".length()));
        }
        return String.join(", ", parts);
    }
}
