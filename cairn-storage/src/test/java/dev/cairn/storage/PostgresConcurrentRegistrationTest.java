package dev.cairn.storage;

import dev.cairn.storage.jdbc.JdbcMetadataStore;
import dev.cairn.storage.jdbc.TestPostgres;
import java.nio.file.Path;

class PostgresConcurrentRegistrationTest extends ConcurrentRegistrationContract {
    @Override
    JdbcMetadataStore newStore(Path dir) {
        return JdbcMetadataStore.postgres(TestPostgres.newDatabase());
    }
}
