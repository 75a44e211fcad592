package dev.cairn.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.governance.ApiToken;
import dev.cairn.core.governance.AuditChain;
import dev.cairn.core.governance.Grant;
import dev.cairn.core.governance.Policy;
import dev.cairn.core.governance.RequestStatus;
import dev.cairn.core.governance.Role;
import dev.cairn.core.governance.TransitionRequest;
import dev.cairn.core.governance.User;
import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventFilter;
import dev.cairn.core.model.EventKind;
import dev.cairn.core.model.Pointer;
import dev.cairn.core.model.RegisteredModel;
import dev.cairn.core.model.Stage;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.MetadataStore.Tx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The governance part of the {@link MetadataStore} port — users, tokens, grants, policies, transition requests and the
 * audit chain — on a real database, one fresh database per test: {@link SqliteGovernanceStoreTest},
 * {@link PostgresGovernanceStoreTest}. Tampering and pre-chain rows are made with plain SQL, as an intruder or an
 * older Cairn would leave them.
 */
public abstract class GovernanceStoreContract {
    static final Instant T0 = MetadataStoreContract.T0;

    @TempDir
    Path dir;
    String url;
    MetadataStore store;

    /** The JDBC URL of a new database (SQLite files go in {@link #dir}). */
    abstract String newDatabase();

    @BeforeEach
    void open() {
        url = newDatabase();
        store = JdbcMetadataStore.open(url);
    }

    @AfterEach
    void close() {
        store.close();
    }

    // --- users --------------------------------------------------------------------------------------------------

    @Test
    void insertedUserIsFoundByItsExactName() {
        User alice = store.write((Tx tx) -> tx.insertUser("alice", Role.ADMIN, "bootstrap", T0));

        assertThat(alice.name()).isEqualTo("alice");
        assertThat(alice.role()).isEqualTo(Role.ADMIN);
        assertThat(alice.createdAt()).isEqualTo(T0);
        assertThat(alice.createdBy()).isEqualTo("bootstrap");
        assertThat(store.read((Tx tx) -> tx.findUser("alice"))).contains(alice);
        assertThat(store.read((Tx tx) -> tx.findUser("Alice"))).isEmpty();
        assertThat(store.read((Tx tx) -> tx.findUser("nobody"))).isEmpty();
    }

    @Test
    void aTakenUserNameIsAlreadyExists() {
        store.write((Tx tx) -> tx.insertUser("alice", Role.ADMIN, "bootstrap", T0));

        assertRefused(ErrorCode.ALREADY_EXISTS, "user 'alice' already exists",
                () -> store.write((Tx tx) -> tx.insertUser("alice", Role.VIEWER, "bob", T0)));
        assertThat(store.read((Tx tx) -> tx.findUser("alice")).orElseThrow().role()).isEqualTo(Role.ADMIN);
    }

    @Test
    void usersAreListedByNameAndPaged() {
        for (String name : List.of("dave", "bob", "alice", "carol")) {
            store.write((Tx tx) -> tx.insertUser(name, Role.VIEWER, "admin", T0));
        }
        assertThat(userNames(null, 10)).containsExactly("alice", "bob", "carol", "dave");
        assertThat(userNames(null, 2)).containsExactly("alice", "bob");
        assertThat(userNames("bob", 2)).containsExactly("carol", "dave");
        assertThat(userNames("dave", 2)).isEmpty();
    }

    @Test
    void settingARoleChangesThatUserOnly() {
        User bob = store.write((Tx tx) -> tx.insertUser("bob", Role.VIEWER, "admin", T0));
        store.write((Tx tx) -> tx.insertUser("carol", Role.VIEWER, "admin", T0));
        store.write((Tx tx) -> {
            tx.setUserRole(bob.id(), Role.APPROVER);
            return null;
        });
        assertThat(store.read((Tx tx) -> tx.findUser("bob")).orElseThrow().role()).isEqualTo(Role.APPROVER);
        assertThat(store.read((Tx tx) -> tx.findUser("carol")).orElseThrow().role()).isEqualTo(Role.VIEWER);
    }

    // --- tokens -------------------------------------------------------------------------------------------------

    @Test
    void aTokenIsFoundByTheHashOfItsSecretAndByItsId() {
        user("alice");
        ApiToken token = new ApiToken("tok-1", "alice", sha('1'), T0, T0.plus(Duration.ofDays(30)), null);
        insertToken(token);

        assertThat(store.read((Tx tx) -> tx.findTokenByHash(sha('1')))).contains(token);
        assertThat(store.read((Tx tx) -> tx.findToken("tok-1"))).contains(token);
        assertThat(store.read((Tx tx) -> tx.findTokenByHash(sha('2')))).isEmpty();
        assertThat(store.read((Tx tx) -> tx.findToken("tok-2"))).isEmpty();
    }

    @Test
    void aTakenTokenIdOrHashIsAlreadyExists() {
        user("alice");
        insertToken(new ApiToken("tok-1", "alice", sha('1'), T0, null, null));

        assertThatThrownBy(() -> insertToken(new ApiToken("tok-1", "alice", sha('2'), T0, null, null)))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
        assertThatThrownBy(() -> insertToken(new ApiToken("tok-2", "alice", sha('1'), T0, null, null)))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
        assertThat(store.read((Tx tx) -> tx.listTokens(null, null, 10))).hasSize(1);
    }

    @Test
    void aTokenOfAnUnknownUserIsRefused() {
        assertThatThrownBy(() -> insertToken(new ApiToken("tok-1", "ghost", sha('1'), T0, null, null)))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                .hasMessageContaining("ghost");
        assertThat(store.read((Tx tx) -> tx.findToken("tok-1"))).isEmpty();
    }

    @Test
    void aTokenIsRevokedOnce() {
        user("alice");
        insertToken(new ApiToken("tok-1", "alice", sha('1'), T0, null, null));

        assertThat(store.write((Tx tx) -> tx.revokeToken("tok-1", T0.plusSeconds(5)))).isTrue();
        assertThat(store.write((Tx tx) -> tx.revokeToken("tok-1", T0.plusSeconds(9)))).isFalse();
        assertThat(store.write((Tx tx) -> tx.revokeToken("unknown", T0))).isFalse();
        ApiToken revoked = store.read((Tx tx) -> tx.findTokenByHash(sha('1'))).orElseThrow();
        assertThat(revoked.revokedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(revoked.activeAt(T0.plusSeconds(6))).isFalse();
    }

    @Test
    void tokensAreListedByIdForOneUserOrForEveryone() {
        user("alice");
        user("bob");
        insertToken(new ApiToken("c", "alice", sha('c'), T0, null, null));
        insertToken(new ApiToken("a", "bob", sha('a'), T0, null, null));
        insertToken(new ApiToken("b", "alice", sha('b'), T0, null, null));
        insertToken(new ApiToken("d", "alice", sha('d'), T0, null, T0));

        assertThat(tokenIds(null, null, 10)).containsExactly("a", "b", "c", "d");
        assertThat(tokenIds("alice", null, 10)).containsExactly("b", "c", "d");
        assertThat(tokenIds("alice", null, 2)).containsExactly("b", "c");
        assertThat(tokenIds("alice", "c", 2)).containsExactly("d");
        assertThat(tokenIds("bob", "a", 10)).isEmpty();
        assertThat(tokenIds("nobody", null, 10)).isEmpty();
        assertThat(store.read((Tx tx) -> tx.listTokens("bob", null, 10)))
                .containsExactly(new ApiToken("a", "bob", sha('a'), T0, null, null));
    }

    // --- grants -------------------------------------------------------------------------------------------------

    @Test
    void grantsAreSetReplacedAndDeletedPerModel() {
        RegisteredModel m = model("m");
        RegisteredModel other = model("other");
        User bob = user("bob");
        User carol = user("carol");
        store.write((Tx tx) -> {
            tx.setGrant(m.id(), carol.id(), Role.VIEWER);
            tx.setGrant(m.id(), bob.id(), Role.EDITOR);
            tx.setGrant(m.id(), bob.id(), Role.APPROVER);
            return null;
        });

        assertThat(store.read((Tx tx) -> tx.grantedRole(m.id(), "bob"))).contains(Role.APPROVER);
        assertThat(store.read((Tx tx) -> tx.grantedRole(other.id(), "bob"))).isEmpty();
        assertThat(store.read((Tx tx) -> tx.grantedRole(m.id(), "nobody"))).isEmpty();
        assertThat(store.read((Tx tx) -> tx.grants(m.id())))
                .containsExactly(new Grant("m", "bob", Role.APPROVER), new Grant("m", "carol", Role.VIEWER));
        assertThat(store.read((Tx tx) -> tx.grants(other.id()))).isEmpty();

        assertThat(store.write((Tx tx) -> tx.deleteGrant(m.id(), bob.id()))).isTrue();
        assertThat(store.write((Tx tx) -> tx.deleteGrant(m.id(), bob.id()))).isFalse();
        assertThat(store.read((Tx tx) -> tx.grantedRole(m.id(), "bob"))).isEmpty();
        assertThat(store.read((Tx tx) -> tx.grants(m.id()))).containsExactly(new Grant("m", "carol", Role.VIEWER));
    }

    @Test
    void grantsNameTheModelByItsCurrentName() {
        RegisteredModel m = model("m");
        User bob = user("bob");
        store.write((Tx tx) -> {
            tx.setGrant(m.id(), bob.id(), Role.EDITOR);
            tx.renameModel(m.id(), "renamed");
            return null;
        });
        assertThat(store.read((Tx tx) -> tx.grants(m.id()))).containsExactly(new Grant("renamed", "bob", Role.EDITOR));
    }

    // --- policies -----------------------------------------------------------------------------------------------

    @Test
    void theDefaultPolicyAndAModelsOwnAreKeptApart() {
        RegisteredModel m = model("m");
        RegisteredModel other = model("other");
        assertThat(store.read((Tx tx) -> tx.policy(null))).isEmpty();
        assertThat(store.read((Tx tx) -> tx.policy(m.id()))).isEmpty();
        Policy strict = fullPolicy();
        Policy loose = new Policy(Map.of("auc", 0.5), Map.of(), false, false, false, false, null, false, 0, true, List.of());
        store.write((Tx tx) -> {
            tx.setPolicy(null, Policy.NONE);
            tx.setPolicy(m.id(), loose);
            tx.setPolicy(null, strict);
            return null;
        });

        assertThat(store.read((Tx tx) -> tx.policy(null))).contains(strict);
        assertThat(store.read((Tx tx) -> tx.policy(m.id()))).contains(loose);
        assertThat(store.read((Tx tx) -> tx.policy(other.id()))).isEmpty();

        assertThat(store.write((Tx tx) -> tx.deletePolicy(m.id()))).isTrue();
        assertThat(store.write((Tx tx) -> tx.deletePolicy(m.id()))).isFalse();
        assertThat(store.read((Tx tx) -> tx.policy(m.id()))).isEmpty();
        assertThat(store.read((Tx tx) -> tx.policy(null))).contains(strict);
        assertThat(store.write((Tx tx) -> tx.deletePolicy(null))).isTrue();
        assertThat(store.read((Tx tx) -> tx.policy(null))).isEmpty();
    }

    @Test
    void everyFieldOfAPolicyReadsBack() {
        RegisteredModel m = model("m");
        Policy policy = fullPolicy();
        store.write((Tx tx) -> {
            tx.setPolicy(m.id(), policy);
            return null;
        });

        Policy found = store.read((Tx tx) -> tx.policy(m.id())).orElseThrow();
        assertThat(found).isEqualTo(policy);
        assertThat(found.stagingFor()).isEqualTo(Duration.ofHours(36));
        assertThat(found.protectedAliases()).containsExactly("champion", "prod");
        assertThat(found.fourEyes()).isFalse();
        assertThat(found.approvals()).isEqualTo(2);
    }

    @Test
    void aStoredPolicyWithFieldsFromANewerCairnStillReads() throws SQLException {
        store.write((Tx tx) -> {
            tx.setPolicy(null, fullPolicy());
            return null;
        });
        String text = query("SELECT policy FROM policies", rs -> rs.getString(1)).get(0);
        execute("UPDATE policies SET policy = ?", text.replaceFirst("\\{", "{\"require_sign_off\":true,"));

        assertThat(store.read((Tx tx) -> tx.policy(null))).contains(fullPolicy());
    }

    // --- transition requests ------------------------------------------------------------------------------------

    @Test
    void aRequestIsStoredPendingAndReadWithItsApprovalsOldestFirst() {
        RegisteredModel m = model("m");
        long id = store.write((Tx tx) -> tx.insertRequest(m.id(), request(3, Pointer.stage(Stage.PRODUCTION), "ship it")));
        store.write((Tx tx) -> {
            tx.addApproval(id, new TransitionRequest.Approval("carol", T0.plusSeconds(20), "ok"));
            tx.addApproval(id, new TransitionRequest.Approval("bob", T0.plusSeconds(10), null));
            return null;
        });

        TransitionRequest found = store.read((Tx tx) -> tx.findRequest(id)).orElseThrow();
        assertThat(found).isEqualTo(new TransitionRequest(id, "m", 3, Pointer.stage(Stage.PRODUCTION), "alice",
                "ship it", RequestStatus.PENDING, T0,
                List.of(new TransitionRequest.Approval("bob", T0.plusSeconds(10), null),
                        new TransitionRequest.Approval("carol", T0.plusSeconds(20), "ok")),
                null, null, null));
        assertThat(store.read((Tx tx) -> tx.findRequest(id + 1))).isEmpty();
    }

    @Test
    void anApproverApprovesARequestOnce() {
        RegisteredModel m = model("m");
        long id = store.write((Tx tx) -> tx.insertRequest(m.id(), request(1, Pointer.alias("champion"), null)));
        store.write((Tx tx) -> {
            tx.addApproval(id, new TransitionRequest.Approval("bob", T0, null));
            return null;
        });
        assertThatThrownBy(() -> store.write((Tx tx) -> {
            tx.addApproval(id, new TransitionRequest.Approval("bob", T0.plusSeconds(1), "again"));
            return null;
        })).isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
        assertThat(store.read((Tx tx) -> tx.findRequest(id)).orElseThrow().approvals()).hasSize(1);
    }

    @Test
    void decidingEndsAPendingRequestOnlyOnce() {
        RegisteredModel m = model("m");
        long id = store.write((Tx tx) -> tx.insertRequest(m.id(), request(1, Pointer.stage(Stage.PRODUCTION), null)));
        store.write((Tx tx) -> {
            tx.decideRequest(id, RequestStatus.REJECTED, "carol", T0.plusSeconds(60), "metrics too low");
            tx.decideRequest(id, RequestStatus.APPROVED, "bob", T0.plusSeconds(61), "late");
            return null;
        });

        TransitionRequest found = store.read((Tx tx) -> tx.findRequest(id)).orElseThrow();
        assertThat(found.status()).isEqualTo(RequestStatus.REJECTED);
        assertThat(found.decidedBy()).isEqualTo("carol");
        assertThat(found.decidedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(found.decisionComment()).isEqualTo("metrics too low");
    }

    @Test
    void requestsAreListedNewestFirstByModelAndStatusAndPaged() {
        RegisteredModel a = model("a");
        RegisteredModel b = model("b");
        List<Long> ids = new ArrayList<>();
        for (RegisteredModel m : List.of(a, b, a, a, b)) {
            ids.add(store.write((Tx tx) -> tx.insertRequest(m.id(), request(1, Pointer.stage(Stage.PRODUCTION), null))));
        }
        store.write((Tx tx) -> {
            tx.addApproval(ids.get(3), new TransitionRequest.Approval("bob", T0, null));
            tx.decideRequest(ids.get(2), RequestStatus.CANCELLED, "alice", T0, null);
            return null;
        });

        assertThat(requestIds(null, null, null, 10)).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));
        assertThat(requestIds(null, null, null, 2)).containsExactly(ids.get(4), ids.get(3));
        assertThat(requestIds(null, null, ids.get(3), 2)).containsExactly(ids.get(2), ids.get(1));
        assertThat(requestIds("a", null, null, 10)).containsExactly(ids.get(3), ids.get(2), ids.get(0));
        assertThat(requestIds("a", RequestStatus.PENDING, null, 10)).containsExactly(ids.get(3), ids.get(0));
        assertThat(requestIds(null, RequestStatus.CANCELLED, null, 10)).containsExactly(ids.get(2));
        assertThat(requestIds("a", null, ids.get(2), 10)).containsExactly(ids.get(0));
        assertThat(requestIds("nothing", null, null, 10)).isEmpty();
        assertThat(store.read((Tx tx) -> tx.listRequests("a", null, null, 1)).get(0).approvals())
                .containsExactly(new TransitionRequest.Approval("bob", T0, null));
    }

    @Test
    void requestsCarryTheirModelsCurrentNameAndGoWithTheModel() {
        RegisteredModel m = model("m");
        RegisteredModel gone = model("gone");
        long id = store.write((Tx tx) -> tx.insertRequest(m.id(), request(1, Pointer.stage(Stage.PRODUCTION), null)));
        long goneId = store.write((Tx tx) -> tx.insertRequest(gone.id(), request(1, Pointer.stage(Stage.PRODUCTION), null)));
        store.write((Tx tx) -> {
            tx.renameModel(m.id(), "renamed");
            tx.markModelDeleted(gone.id(), T0);
            return null;
        });

        assertThat(store.read((Tx tx) -> tx.findRequest(id)).orElseThrow().model()).isEqualTo("renamed");
        assertThat(requestIds("renamed", null, null, 10)).containsExactly(id);
        assertThat(requestIds("m", null, null, 10)).isEmpty();
        assertThat(store.read((Tx tx) -> tx.findRequest(goneId))).isEmpty();
        assertThat(requestIds(null, null, null, 10)).containsExactly(id);
        // a new model under the deleted one's name does not inherit its requests
        model("gone");
        assertThat(requestIds("gone", null, null, 10)).isEmpty();
    }

    // --- audit chain --------------------------------------------------------------------------------------------

    @Test
    void everyEventIsLinkedToTheOneBeforeIt() {
        List<Long> seqs = appendFive();

        List<AuditChain.Link> chain = store.read((Tx tx) -> tx.chain(null, 100));
        assertThat(chain).extracting(link -> link.event().seq()).isEqualTo(seqs);
        assertThat(firstBrokenLink(chain)).isNull();
        assertThat(chain.get(0).previousHash()).isEqualTo(AuditChain.GENESIS);
        for (int i = 1; i < chain.size(); i++) {
            assertThat(chain.get(i).previousHash()).isEqualTo(chain.get(i - 1).hash());
        }
        assertThat(chain).extracting(AuditChain.Link::event).isEqualTo(store.read((Tx tx) -> tx.events(EventFilter.ALL, null, 100)));
        assertThat(store.read((Tx tx) -> tx.chain(seqs.get(1), 2))).isEqualTo(chain.subList(2, 4));
    }

    @Test
    void theHashCoversTheEventAsStoredInWholeMilliseconds() {
        Instant precise = T0.plusNanos(123_456);
        long seq = store.write((Tx tx) -> tx.appendEvent(new Event(0, precise, "alice", "m", 2, EventKind.ALIAS_SET,
                Map.of("alias", "champion", "comment", "ünïcode \"quoted\"\n"))));

        AuditChain.Link link = store.read((Tx tx) -> tx.chain(null, 10)).get(0);
        assertThat(link.event()).isEqualTo(new Event(seq, T0, "alice", "m", 2, EventKind.ALIAS_SET,
                Map.of("alias", "champion", "comment", "ünïcode \"quoted\"\n")));
        assertThat(link.hash()).isEqualTo(AuditChain.hash(AuditChain.GENESIS, link.event()));
    }

    @Test
    void aChangedPayloadBreaksTheChainAtThatEvent() throws SQLException {
        List<Long> seqs = appendFive();
        execute("UPDATE events SET payload = ? WHERE seq = ?", "{\"to\":\"Archived\"}", seqs.get(2));

        assertThat(firstBrokenLink(store.read((Tx tx) -> tx.chain(null, 100)))).isEqualTo(seqs.get(2));
    }

    @Test
    void aDeletedEventBreaksTheChainAtTheOneAfterIt() throws SQLException {
        List<Long> seqs = appendFive();
        execute("DELETE FROM events WHERE seq = ?", seqs.get(2));

        assertThat(firstBrokenLink(store.read((Tx tx) -> tx.chain(null, 100)))).isEqualTo(seqs.get(3));
    }

    @Test
    void twoSwappedEventsBreakTheChainAtTheFirstOfThem() throws SQLException {
        List<Long> seqs = appendFive();
        List<String> columns = List.of("time", "actor", "model", "version", "kind", "payload", "prev_hash", "hash");
        Map<Long, List<Object>> rows = new LinkedHashMap<>();
        for (long seq : List.of(seqs.get(1), seqs.get(3))) {
            rows.put(seq, query("SELECT " + String.join(", ", columns) + " FROM events WHERE seq = " + seq, rs -> {
                List<Object> values = new ArrayList<>();
                for (int i = 1; i <= columns.size(); i++) {
                    values.add(rs.getObject(i));
                }
                return values;
            }).get(0));
        }
        String update = "UPDATE events SET " + String.join(" = ?, ", columns) + " = ? WHERE seq = ?";
        execute(update, with(rows.get(seqs.get(3)), seqs.get(1)));
        execute(update, with(rows.get(seqs.get(1)), seqs.get(3)));

        assertThat(firstBrokenLink(store.read((Tx tx) -> tx.chain(null, 100)))).isEqualTo(seqs.get(1));
    }

    @Test
    void eventsFromBeforeTheChainAreLinkedInWhenTheStoreOpens() throws SQLException {
        appendFive();
        List<AuditChain.Link> chained = store.read((Tx tx) -> tx.chain(null, 100));
        store.close();
        execute("UPDATE events SET prev_hash = NULL, hash = NULL");

        store = JdbcMetadataStore.open(url);
        assertThat(store.read((Tx tx) -> tx.chain(null, 100))).isEqualTo(chained);
        long next = store.write((Tx tx) -> tx.appendEvent(new Event(0, T0, "bob", null, null, EventKind.USER_CREATED, Map.of())));
        List<AuditChain.Link> chain = store.read((Tx tx) -> tx.chain(null, 100));
        assertThat(chain).hasSize(6);
        assertThat(chain.get(5).event().seq()).isEqualTo(next);
        assertThat(firstBrokenLink(chain)).isNull();

        store.close();
        store = JdbcMetadataStore.open(url);
        assertThat(store.read((Tx tx) -> tx.chain(null, 100))).isEqualTo(chain);
    }

    @Test
    void onlyTheEventsWithoutAHashAreLinkedIn() throws SQLException {
        List<Long> seqs = appendFive();
        List<AuditChain.Link> chained = store.read((Tx tx) -> tx.chain(null, 100));
        store.close();
        execute("UPDATE events SET prev_hash = NULL, hash = NULL WHERE seq >= ?", seqs.get(3));
        execute("UPDATE events SET hash = 'kept as found' WHERE seq = ?", seqs.get(0));

        store = JdbcMetadataStore.open(url);
        List<AuditChain.Link> chain = store.read((Tx tx) -> tx.chain(null, 100));
        assertThat(chain.get(0).hash()).isEqualTo("kept as found");
        assertThat(chain.subList(1, 5)).isEqualTo(chained.subList(1, 5));
    }

    @Test
    void aSequenceNumberIsNeverHandedOutAgain() throws SQLException {
        List<Long> seqs = appendFive();
        execute("DELETE FROM events WHERE seq = ?", seqs.get(4));

        long next = store.write((Tx tx) -> tx.appendEvent(new Event(0, T0, "bob", null, null, EventKind.USER_CREATED, Map.of())));
        assertThat(next).isGreaterThan(seqs.get(4));
    }

    /**
     * The first event whose link does not hold, recomputed as a verifier does: each stored previous hash must be the
     * stored hash of the event before it, and each stored hash {@link AuditChain#hash} of the two. Null when intact.
     */
    public static Long firstBrokenLink(List<AuditChain.Link> chain) {
        String previous = AuditChain.GENESIS;
        for (AuditChain.Link link : chain) {
            if (!previous.equals(link.previousHash())
                    || !AuditChain.hash(link.previousHash(), link.event()).equals(link.hash())) {
                return link.event().seq();
            }
            previous = link.hash();
        }
        return null;
    }

    // --- fixtures -----------------------------------------------------------------------------------------------

    /** Five events over three transactions, with and without model, version and payload. */
    private List<Long> appendFive() {
        List<Long> seqs = new ArrayList<>(store.write((Tx tx) -> List.of(
                tx.appendEvent(new Event(0, T0, "alice", "m", null, EventKind.MODEL_CREATED, Map.of())),
                tx.appendEvent(new Event(0, T0.plusMillis(1), "alice", "m", 1, EventKind.VERSION_CREATED, Map.of())))));
        seqs.add(store.write((Tx tx) -> tx.appendEvent(new Event(0, T0.plusSeconds(1), "bob", "m", 1, EventKind.STAGE_TRANSITION,
                Map.of("from", "None", "to", "Production", "comment", "ship it")))));
        seqs.addAll(store.write((Tx tx) -> List.of(
                tx.appendEvent(new Event(0, T0.plusSeconds(2), "admin", null, null, EventKind.USER_CREATED,
                        Map.of("user", "carol", "role", "viewer"))),
                tx.appendEvent(new Event(0, T0.plusSeconds(2), null, null, null, EventKind.POLICY_SET,
                        Map.of("policy", "{}"))))));
        return seqs;
    }

    static Policy fullPolicy() {
        return new Policy(Map.of("auc", 0.9, "f1", 0.8), Map.of("latency_ms", 20.5), true, true, true, true,
                Duration.ofHours(36), true, 2, false, List.of("prod", "champion"));
    }

    private static TransitionRequest request(int version, Pointer target, String comment) {
        return new TransitionRequest(0, null, version, target, "alice", comment, RequestStatus.PENDING, T0, List.of(),
                null, null, null);
    }

    private RegisteredModel model(String name) {
        return store.write((Tx tx) -> tx.insertModel(name, "", Map.of(), "alice", T0));
    }

    private User user(String name) {
        return store.write((Tx tx) -> tx.insertUser(name, Role.VIEWER, "admin", T0));
    }

    private void insertToken(ApiToken token) {
        store.write((Tx tx) -> {
            tx.insertToken(token);
            return null;
        });
    }

    private List<String> userNames(String after, int limit) {
        return store.read((Tx tx) -> tx.listUsers(after, limit)).stream().map(User::name).toList();
    }

    private List<String> tokenIds(String user, String after, int limit) {
        return store.read((Tx tx) -> tx.listTokens(user, after, limit)).stream().map(ApiToken::id).toList();
    }

    private List<Long> requestIds(String model, RequestStatus status, Long before, int limit) {
        return store.read((Tx tx) -> tx.listRequests(model, status, before, limit)).stream().map(TransitionRequest::id).toList();
    }

    private static String sha(char c) {
        return String.valueOf(c).repeat(64);
    }

    private static void assertRefused(ErrorCode code, String message, Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    private static Object[] with(List<Object> values, Object last) {
        List<Object> all = new ArrayList<>(values);
        all.add(last);
        return all.toArray();
    }

    /** Runs one statement on a connection of its own, outside the store. */
    void execute(String sql, Object... args) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.executeUpdate();
        }
    }

    private <T> List<T> query(String sql, Sql.Row<T> row) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rs = statement.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(row.map(rs));
            }
            return rows;
        }
    }
}
