package io.spellci.action.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RunnerSimulationTest {
    @Test
    void masksAfterAddMaskAndConsumesCommands() {
        RunnerSimulation sim = new RunnerSimulation();
        assertThat(sim.process("before s3cret")).isEqualTo("before s3cret");
        assertThat(sim.process("::add-mask::s3cret")).isNull();
        assertThat(sim.process("after s3cret")).isEqualTo("after ***");
        assertThat(sim.process("::error title=T%3A x::bad s3cret")).isEqualTo("Error: [T: x] bad ***");
        assertThat(sim.process("::debug::hidden")).isNull();
    }

    @Test
    void stopCommands() {
        RunnerSimulation sim = new RunnerSimulation();
        assertThat(sim.process("::stop-commands::tok")).isNull();
        assertThat(sim.process("::add-mask::x")).isEqualTo("::add-mask::x");
        assertThat(sim.process("::tok::")).isNull();
        assertThat(sim.process("::add-mask::x")).isNull();
    }

    @Test
    void multiLineMasks() {
        RunnerSimulation sim = new RunnerSimulation();
        sim.process("::add-mask::one%0Atwo");
        assertThat(sim.mask("one two")).isEqualTo("*** ***");
    }

    @Test
    void parsesFiles() {
        assertThat(RunnerSimulation.parseFile("A=1\nB<<D\nx\ny\nD\n")).containsExactly(Map.entry("A", "1"),
                Map.entry("B", "x\ny"));
        assertThatThrownBy(() -> RunnerSimulation.parseFile("B<<D\nx\n")).hasMessageContaining("delimiter");
        assertThatThrownBy(() -> RunnerSimulation.parseFile("junk\n")).hasMessageContaining("Invalid format");
    }
}
