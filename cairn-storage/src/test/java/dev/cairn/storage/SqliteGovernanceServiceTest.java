package dev.cairn.storage;

import java.nio.file.Path;

class SqliteGovernanceServiceTest extends GovernanceServiceContract {
    @Override
    String newDatabase(Path dir) {
        return "jdbc:sqlite:" + dir.resolve("registry.db");
    }
}
