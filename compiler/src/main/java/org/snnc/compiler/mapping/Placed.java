package org.snnc.compiler.mapping;

/**
 * Cores on the mesh.
 *
 * @param slot          per core, its {@link Board} slot
 * @param initialCost   traffic x hops of the constructive placement
 * @param cost          traffic x hops after local improvement
 */
public record Placed(Wired wired, Board board, int[] slot, long initialCost, long cost) {

    public Placed {
        slot = slot.clone();
    }
}
