package org.snnc.compiler.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class EditDistanceTest {

    @Test
    void countsEditsAndSwapsOfNeighbours() {
        assertEquals(0, EditDistance.between("core", "core"));
        assertEquals(1, EditDistance.between("core", "cores"));
        assertEquals(1, EditDistance.between("mesh_widht", "mesh_width"));
        assertEquals(3, EditDistance.between("kitten", "sitting"));
        assertEquals(4, EditDistance.between("", "leak"));
    }

    @Test
    void suggestsOnlyWhatIsClose() {
        List<String> keys = List.of("max_neurons", "max_input_axons", "max_output_axons");
        assertEquals("max_input_axons", EditDistance.closest("max_input_axon", keys));
        assertEquals("max_neurons", EditDistance.closest("MAX_NEURONS", keys));
        assertNull(EditDistance.closest("voltage", keys));
    }
}
