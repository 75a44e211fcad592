package dev.cairn.storage;

import dev.cairn.storage.jdbc.JdbcMetadataStore;
import java.nio.file.Path;

class SqliteConcurrentRegistrationTest extends ConcurrentRegistrationContract {
    @Override
    JdbcMetadataStore newStore(Path dir) {
        return JdbcMetadataStore.sqlite(dir.resolve("registry.db"));
    }
}
