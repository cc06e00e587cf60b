package dev.claudedevc.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version, from the {@code version.properties} Maven filters at build time. */
final class Version implements IVersionProvider {

    private static final String VERSION = load();

    private static String load() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/claude-devc/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }

    /** The version of this build, e.g. {@code 0.1.0}. */
    static String current() {
        return VERSION;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"claude-devc " + VERSION};
    }
}
