package dev.cairn.storage;

import java.nio.file.Path;

class SqliteWebhookServiceTest extends WebhookServiceContract {
    @Override
    String newDatabase(Path dir) {
        return "jdbc:sqlite:" + dir.resolve("registry.db");
    }
}
