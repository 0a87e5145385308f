package org.snnc.compiler.target;

/**
 * One chip: a 2D mesh of tiles, each holding {@code coresPerTile} cores that share a router.
 * A chip without tiles is a mesh of one-core tiles.
 *
 * @param meshWidth    tiles along x (east-west)
 * @param meshHeight   tiles along y (north-south)
 * @param coresPerTile cores behind one router
 * @param cores        neuromorphic cores per chip; equals the product of the three above
 */
public record ChipSpec(Sourced<Integer> meshWidth, Sourced<Integer> meshHeight,
                       Sourced<Integer> coresPerTile, Sourced<Integer> cores) {}
