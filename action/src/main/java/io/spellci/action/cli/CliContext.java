package io.spellci.action.cli;

import io.spellci.action.github.Redactor;
import io.spellci.action.github.SpellService;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What commands read and write: environment, stdin, stdout, stderr, clock, and the way to the Spell API; plus the
 * tokens read so far ({@link #redactor}), which every error message is scrubbed of before it is printed.
 */
public record CliContext(Map<String, String> env, InputStream in, PrintStream out, PrintStream err, Clock clock,
        SpellService.Factory spell, Redactor redactor) {

    public CliContext(Map<String, String> env, InputStream in, PrintStream out, PrintStream err, Clock clock,
            SpellService.Factory spell) {
        this(env, in, out, err, clock, spell, new Redactor());
    }

    public CliContext {
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(spell, "spell");
        Objects.requireNonNull(redactor, "redactor");
    }

    /**
     * The real process: stdout and stderr as UTF-8 whatever the platform's charset. On Java 17 System.out follows
     * the locale, so under LANG=C (common in CI containers) or on Windows a non-ASCII owner would reach a
     * {@code GITHUB_ENV} or dotenv file as {@code ?}; the runner and dotenv readers expect UTF-8.
     */
    public static CliContext fromSystem() {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new ProcessStderr();
        return new CliContext(System.getenv(), System.in, out, err, Clock.systemUTC(), SpellService.Factory.core());
    }

    public String env(String name) {
        String value = env.get(name);
        return value == null ? "" : value;
    }
}
