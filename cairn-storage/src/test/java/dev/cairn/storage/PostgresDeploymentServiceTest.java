package dev.cairn.storage;

import dev.cairn.storage.jdbc.TestPostgres;
import java.nio.file.Path;

class PostgresDeploymentServiceTest extends DeploymentServiceContract {
    @Override
    String newDatabase(Path dir) {
        return TestPostgres.newDatabase();
    }
}
