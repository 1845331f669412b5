package io.spellci.action.github;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a step gets from the runner: its environment, stdout (where workflow commands go), stderr, a clock, and
 * the way to reach the Spell API. Tests build one with a map; {@link #fromSystem} is the real runner.
 */
public final class StepContext {
    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private final SpellService.Factory spell;

    public StepContext(Map<String, String> env, PrintStream out, PrintStream err, Clock clock,
            SpellService.Factory spell) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.spell = Objects.requireNonNull(spell, "spell");
    }

    /**
     * The real runner: stdout and stderr as UTF-8 whatever the platform's default (the runner reads UTF-8; a mask
     * printed in another charset would not match the value written to GITHUB_ENV).
     */
    public static StepContext fromSystem() {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        return new StepContext(System.getenv(), out, err, Clock.systemUTC(), SpellService.Factory.core());
    }

    public Map<String, String> env() {
        return env;
    }

    public String env(String name) {
        String value = env.get(name);
        return value == null ? "" : value;
    }

    /** The path in {@code variable} (GITHUB_ENV and friends), or null when unset or blank. */
    public Path file(String variable) {
        String value = env.get(variable);
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    public Inputs inputs() {
        return new Inputs(env);
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public Clock clock() {
        return clock;
    }

    public SpellService.Factory spell() {
        return spell;
    }
}
