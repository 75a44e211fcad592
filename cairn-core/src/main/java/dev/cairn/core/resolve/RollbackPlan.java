package dev.cairn.core.resolve;

import dev.cairn.core.RegistryException;
import dev.cairn.core.model.Pointer;
import dev.cairn.core.model.PointerChange;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Picks the version a rollback returns a pointer to. The pointer's moves form a stack: an ordinary move pushes the new
 * holder, a rollback pops back to the version it restored. So rolling back twice after v1 → v2 → v3 gives v2, then v1,
 * never back to v3.
 */
public final class RollbackPlan {
    private RollbackPlan() {}

    /**
     * The earlier holder to return to: {@code to} when given (it must have held the pointer before the current
     * holder), otherwise the holder immediately before the current one.
     */
    public static int target(Pointer pointer, List<PointerChange> history, Optional<Integer> to) {
        Deque<Integer> stack = holders(history);
        Integer current = stack.isEmpty() ? null : stack.peek();
        Iterator<Integer> earlier = stack.iterator();
        if (earlier.hasNext()) {
            earlier.next(); // the current holder (or an empty pointer)
        }
        while (earlier.hasNext()) {
            Integer candidate = earlier.next();
            if (candidate == null || Objects.equals(candidate, current)) {
                continue;
            }
            if (to.isEmpty() || to.get().equals(candidate)) {
                return candidate;
            }
        }
        String now = current == null ? "nothing holds " + pointer : "version " + current + " holds " + pointer;
        if (to.isPresent()) {
            throw RegistryException.precondition("cannot roll back " + pointer + " to version " + to.get()
                    + ": it did not hold " + pointer + " before the current holder (" + now + ")");
        }
        if (current == null) {
            // The pointer was cleared: undoing that means restoring its last holder.
            for (Integer candidate : stack) {
                if (candidate != null) {
                    return candidate;
                }
            }
        }
        throw RegistryException.precondition("cannot roll back " + pointer + ": no earlier holder (" + now + ")");
    }

    /** The holders as a stack, the current one first; null stands for a cleared pointer. */
    static Deque<Integer> holders(List<PointerChange> history) {
        Deque<Integer> stack = new LinkedList<>(); // LinkedList, unlike ArrayDeque, holds the nulls of cleared pointers
        for (PointerChange change : history) {
            if (change.rollback() && stack.contains(change.version())) {
                while (!Objects.equals(stack.peek(), change.version())) {
                    stack.pop();
                }
            } else {
                stack.push(change.version());
            }
        }
        return stack;
    }
}
