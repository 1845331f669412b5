package io.spellci.action.github;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Markdown for {@code GITHUB_STEP_SUMMARY}, appended in one write. Never give it a secret. */
public final class StepSummary {
    private final StringBuilder markdown = new StringBuilder();

    public StepSummary heading(String text) {
        markdown.append("### ").append(text).append("\n\n");
        return this;
    }

    public StepSummary line(String text) {
        markdown.append(text).append("\n");
        return this;
    }

    /** A two-column table; cells are escaped so that {@code |} and line breaks cannot break the table. */
    public StepSummary table(String header1, String header2, java.util.Map<String, String> rows) {
        markdown.append("| ").append(cell(header1)).append(" | ").append(cell(header2)).append(" |\n");
        markdown.append("|---|---|\n");
        for (java.util.Map.Entry<String, String> row : rows.entrySet()) {
            markdown.append("| ").append(cell(row.getKey())).append(" | ").append(cell(row.getValue())).append(" |\n");
        }
        markdown.append("\n");
        return this;
    }

    public static String cell(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    public String markdown() {
        return markdown.toString();
    }

    public void appendTo(Path file) {
        if (file == null || markdown.length() == 0) {
            return;
        }
        try {
            try (java.io.OutputStream out = new java.io.FileOutputStream(file.toFile(), true)) {
                out.write(markdown.toString().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new FileCommandException("could not write the job summary to GITHUB_STEP_SUMMARY (" + file + "): "
                    + e.getMessage() + "; the step's other results are not affected", e);
        }
    }
}
