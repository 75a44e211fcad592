package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.CreateModel;
import dev.cairn.api.ApiModels.Model;
import dev.cairn.api.ApiModels.ModelList;
import dev.cairn.cli.CairnCommand;
import dev.cairn.cli.Table;
import dev.cairn.cli.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "models", description = "List, show, create and delete registered models.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Show.class, ModelsCommand.Create.class,
            ModelsCommand.Delete.class})
public final class ModelsCommand {

    @Command(name = "list", description = "List registered models.")
    static final class ListModels extends CairnCommand {
        @Option(names = {"-q", "--query"}, paramLabel = "TEXT", description = "Only models whose name contains TEXT.")
        String query;

        @Override
        protected int run() {
            List<Model> models = new ArrayList<>();
            String token = null;
            do {
                ModelList page = client().listModels(query, 1000, token);
                models.addAll(page.models());
                token = page.nextPageToken();
            } while (token != null);
            return print(new ModelList(models, null), () -> {
                Table table = new Table("NAME", "LATEST", "PRODUCTION", "STAGING", "ALIASES", "UPDATED", "DESCRIPTION");
                for (Model m : models) {
                    table.row(m.name(), m.latestVersion(), stage(m, "Production"), stage(m, "Staging"),
                            aliases(m), Text.time(m.updatedAt()), m.description());
                }
                table.print(out());
            });
        }
    }

    @Command(name = "show", description = "Show one model: its stages, aliases and tags.")
    static final class Show extends CairnCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        protected int run() {
            Model m = client().getModel(name);
            return print(m, () -> describe(m).print(out()));
        }
    }

    @Command(name = "create", description = "Register a new, empty model (register creates it too when missing).")
    static final class Create extends CairnCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag; repeatable.")
        Map<String, String> tags = new LinkedHashMap<>();

        @Override
        protected int run() {
            Model m = client().createModel(new CreateModel(name, description, tags));
            return print(m, () -> out().println("created model " + m.name()));
        }
    }

    @Command(name = "delete", description = "Delete a model; refused while a version holds Staging, Production or an "
            + "alias.")
    static final class Delete extends CairnCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        protected int run() {
            Model m = client().getModel(name);
            client().deleteModel(name);
            return print(m, () -> out().println("deleted model " + name));
        }
    }

    static Table describe(Model m) {
        return Table.headless()
                .row("name:", m.name())
                .row("description:", m.description())
                .row("owner:", m.owner())
                .row("created:", Text.time(m.createdAt()))
                .row("updated:", Text.time(m.updatedAt()))
                .row("latest version:", m.latestVersion())
                .row("production:", stage(m, "Production"))
                .row("staging:", stage(m, "Staging"))
                .row("aliases:", aliases(m))
                .row("tags:", Text.pairs(m.tags()));
    }

    private static String stage(Model m, String stage) {
        if (m.stages() == null) {
            return null;
        }
        Integer holder = m.stages().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(stage))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        return holder == null ? null : "v" + holder;
    }

    private static String aliases(Model m) {
        if (m.aliases() == null || m.aliases().isEmpty()) {
            return null;
        }
        List<String> shown = new ArrayList<>();
        new TreeMap<>(m.aliases()).forEach((alias, version) -> shown.add("@" + alias + "=v" + version));
        return String.join(", ", shown);
    }
}
