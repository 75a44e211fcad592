package dev.cairn.storage;

import dev.cairn.storage.jdbc.JdbcMetadataStore;
import dev.cairn.storage.jdbc.TestPostgres;
import java.nio.file.Path;

class PostgresRegistryServiceTest extends RegistryServiceContract {
    @Override
    JdbcMetadataStore newStore(Path dir) {
        return JdbcMetadataStore.postgres(TestPostgres.newDatabase());
    }
}
