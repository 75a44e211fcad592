package dev.cairn.storage;

import java.nio.file.Path;

class SqliteDeploymentServiceTest extends DeploymentServiceContract {
    @Override
    String newDatabase(Path dir) {
        return "jdbc:sqlite:" + dir.resolve("registry.db");
    }
}
