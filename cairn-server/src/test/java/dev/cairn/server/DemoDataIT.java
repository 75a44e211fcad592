package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.GovernanceService;
import dev.cairn.core.RegistryService;
import dev.cairn.core.governance.AuditChain;
import dev.cairn.core.governance.RequestStatus;
import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventFilter;
import dev.cairn.core.model.EventKind;
import dev.cairn.core.model.ModelPointers;
import dev.cairn.core.model.Pointer;
import dev.cairn.core.model.Stage;
import dev.cairn.storage.jdbc.JdbcMetadataStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo registry is what {@code cairn serve --demo} promises, and seeding it twice leaves it as it was. */
class DemoDataIT {
    @TempDir
    Path data;

    @Test
    void seedsARealisticRegistryOnceWithAnIntactAuditChain() {
        DemoData.Result first = DemoData.seed(data);
        assertThat(first).isEqualTo(new DemoData.Result(true, 4, 40));

        try (JdbcMetadataStore store = JdbcMetadataStore.sqlite(data.resolve("cairn.db"));
             BlobBackend blobs = BlobBackend.open(new ServerConfig.BlobLocation.Directory(data.resolve("blobs")))) {
            RegistryService registry = new RegistryService(store, blobs.store(), Clock.systemUTC());
            GovernanceService governance = new GovernanceService(registry, store, Clock.systemUTC(), null);

            assertThat(registry.listModels(null, 100, null).items()).extracting(s -> s.model().name())
                    .containsExactlyInAnyOrder("fraud-detector", "churn-predictor", "demand-forecast", "image-tagger");
            for (String model : List.of("fraud-detector", "churn-predictor", "demand-forecast", "image-tagger")) {
                assertThat(registry.listVersions(model, null, null, 100, null).items()).as(model).hasSize(10);
                assertThat(registry.verify(model, null).ok()).as("files of " + model + " verify").isTrue();
            }

            // The bad deploy of churn-predictor v7 was rolled back to v4, which is still the champion.
            ModelPointers churn = registry.pointers("churn-predictor");
            assertThat(churn.holder(Pointer.stage(Stage.PRODUCTION))).isEqualTo(4);
            assertThat(churn.holder(Pointer.alias("champion"))).isEqualTo(4);
            List<Event> rollbacks = events(registry, "churn-predictor", EventKind.ROLLBACK);
            assertThat(rollbacks).singleElement().satisfies(e -> {
                assertThat(e.version()).isEqualTo(4);
                assertThat(e.payload()).containsEntry("from", "7").containsEntry("to", "4");
            });

            // fraud-detector's policy made every Production move a request someone else approved.
            assertThat(registry.pointers("fraud-detector").holder(Pointer.stage(Stage.PRODUCTION))).isEqualTo(6);
            assertThat(events(registry, "fraud-detector", EventKind.REQUEST_APPROVED)).extracting(Event::actor)
                    .containsExactly("sam", "priya", "priya", "sam");
            assertThat(governance.listRequests(null, RequestStatus.PENDING, 100, null).items()).singleElement()
                    .satisfies(r -> assertThat(r.version()).isEqualTo(10));
            assertThat(governance.listRequests(null, RequestStatus.REJECTED, 100, null).items()).hasSize(1);

            // History spreads over the past two months, never into the future.
            List<Event> all = events(registry, null, null);
            Instant start = all.get(0).time();
            Instant last = all.get(all.size() - 1).time();
            assertThat(start).isBefore(Instant.now().minus(Duration.ofDays(55)));
            assertThat(last).isBefore(Instant.now()).isAfter(start.plus(Duration.ofDays(40)));

            AuditChain.Report audit = governance.verifyAudit(null);
            assertThat(audit.intact()).as(audit.toString()).isTrue();
            assertThat(audit.checked()).isEqualTo(all.size());
        }

        long events = eventCount();
        DemoData.Result second = DemoData.seed(data);
        assertThat(second.seeded()).isFalse();
        assertThat(second.models()).isEqualTo(4);
        assertThat(eventCount()).as("events after seeding again").isEqualTo(events);
    }

    private long eventCount() {
        try (JdbcMetadataStore store = JdbcMetadataStore.sqlite(data.resolve("cairn.db"));
             BlobBackend blobs = BlobBackend.open(new ServerConfig.BlobLocation.Directory(data.resolve("blobs")))) {
            return events(new RegistryService(store, blobs.store(), Clock.systemUTC()), null, null).size();
        }
    }

    /** Every event, oldest first, of a model (or all) and of a kind (or any). */
    private static List<Event> events(RegistryService registry, String model, EventKind kind) {
        List<Event> events = new ArrayList<>();
        String token = null;
        do {
            var page = registry.events(new EventFilter(model, null, kind == null ? List.of() : List.of(kind), null, null),
                    1000, token);
            events.addAll(page.items());
            token = page.nextPageToken();
        } while (token != null);
        events.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        return events;
    }
}
