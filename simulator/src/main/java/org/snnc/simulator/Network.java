package org.snnc.simulator;

import org.snnc.compiler.program.Program;

/**
 * The board's routers as one global grid: chip {@code (cx, cy)}'s tile {@code (x, y)} is router
 * {@code (cx * meshWidth + x, cy * meshHeight + y)}. Packets use dimension-order routing, x
 * first, then y; a step across a chip edge is an inter-chip hop, a step inside a chip an
 * east-west or north-south hop, and a packet between two cores of one tile one within-tile hop
 * on that tile's local link.
 *
 * <p>Links are directed and numbered {@code router * 5 + port}: ports 0 east (+x), 1 west,
 * 2 south (+y), 3 north, 4 the tile's local link.
 */
final class Network {

    static final int EAST = 0, WEST = 1, SOUTH = 2, NORTH = 3, LOCAL = 4, PORTS = 5;

    final Program.Mesh mesh;
    final int width;
    final int height;

    Network(Program.Mesh mesh) {
        this.mesh = mesh;
        this.width = mesh.chipsX() * mesh.meshWidth();
        this.height = mesh.chipsY() * mesh.meshHeight();
    }

    int links() {
        return width * height * PORTS;
    }

    int globalX(Program.Cores c, int core) {
        return (c.chip()[core] % mesh.chipsX()) * mesh.meshWidth() + c.x()[core];
    }

    int globalY(Program.Cores c, int core) {
        return (c.chip()[core] / mesh.chipsX()) * mesh.meshHeight() + c.y()[core];
    }

    /** Whether the link leaving router {@code (gx, gy)} through {@code port} crosses a chip edge. */
    boolean crossesChip(int gx, int gy, int port) {
        return switch (port) {
            case EAST -> (gx + 1) % mesh.meshWidth() == 0;
            case WEST -> gx % mesh.meshWidth() == 0;
            case SOUTH -> (gy + 1) % mesh.meshHeight() == 0;
            case NORTH -> gy % mesh.meshHeight() == 0;
            default -> false;
        };
    }

    int link(int gx, int gy, int port) {
        return (gy * width + gx) * PORTS + port;
    }
}
