package dev.cairn.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.model.Pointer;
import dev.cairn.core.model.PointerChange;
import dev.cairn.core.model.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RollbackPlanTest {
    private static final Pointer PROD = Pointer.stage(Stage.PRODUCTION);

    private final List<PointerChange> history = new ArrayList<>();

    private void move(Integer version) {
        history.add(new PointerChange(history.size() + 1, PROD, version, false));
    }

    private int rollback(Optional<Integer> to) {
        int target = RollbackPlan.target(PROD, history, to);
        history.add(new PointerChange(history.size() + 1, PROD, target, true));
        return target;
    }

    @Test
    void rollsBackOneHolderAtATimeNeverForwardAgain() {
        move(1);
        move(2);
        move(3);
        assertThat(rollback(Optional.empty())).isEqualTo(2);
        assertThat(rollback(Optional.empty())).isEqualTo(1);
        assertThatThrownBy(() -> rollback(Optional.empty())).hasMessageContaining("no earlier holder");
    }

    @Test
    void rollsBackToANamedEarlierHolder() {
        move(1);
        move(2);
        move(3);
        assertThat(rollback(Optional.of(1))).isEqualTo(1);
        assertThatThrownBy(() -> rollback(Optional.of(3))).hasMessageContaining("did not hold Production before");
    }

    @Test
    void aPromotionAfterARollbackStacksOnTheRestoredHolder() {
        move(1);
        move(2);
        rollback(Optional.empty()); // back to 1
        move(4);
        assertThat(rollback(Optional.empty())).isEqualTo(1);
    }

    @Test
    void clearedPointerRollsBackToItsLastHolder() {
        move(1);
        move(2);
        move(null);
        assertThat(rollback(Optional.empty())).isEqualTo(2);
    }

    @Test
    void nothingToRollBackTo() {
        assertThatThrownBy(() -> RollbackPlan.target(PROD, List.of(), Optional.empty()))
                .hasMessageContaining("nothing holds Production");
        move(5);
        assertThatThrownBy(() -> RollbackPlan.target(PROD, history, Optional.empty()))
                .hasMessageContaining("version 5 holds Production");
    }

    /** A rollback always lands on a version that held the pointer earlier and is not the current holder. */
    @Property(tries = 300)
    void rollbackTargetsAnEarlierDifferentHolder(@ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 5) Integer> moves) {
        List<PointerChange> changes = new ArrayList<>();
        moves.forEach(v -> changes.add(new PointerChange(changes.size() + 1, PROD, v, false)));
        Integer current = moves.get(moves.size() - 1);
        try {
            int target = RollbackPlan.target(PROD, changes, Optional.empty());
            assertThat(target).isNotEqualTo(current);
            assertThat(moves.subList(0, moves.size() - 1)).contains(target);
        } catch (dev.cairn.core.RegistryException none) {
            assertThat(moves).allMatch(current::equals);
        }
    }
}
