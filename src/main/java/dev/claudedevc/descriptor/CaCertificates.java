package dev.claudedevc.descriptor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CA certificate files: what may be copied into a dev container (committed to the repository, world-readable in
 * the image). Every PEM block must be an X.509 certificate the JDK parses; anything else — a private key, armour
 * around garbage — is refused, naming the block. What is written is the certificates re-encoded, never the file's
 * own bytes, so nothing else in the file (comments, a key between certificates) travels.
 */
public final class CaCertificates {

    /** Larger files are refused unread. */
    public static final long MAX_BYTES = 1024 * 1024;

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]{1,64})-----\\r?\\n([A-Za-z0-9+/=\\r\\n\\t ]*?)-----END ([A-Z0-9 ]{1,64})-----");
    private static final Pattern BEGIN = Pattern.compile("-----BEGIN ");

    private CaCertificates() {
    }

    /**
     * The certificates of one file, re-encoded as PEM.
     *
     * @param file the file, already resolved
     * @param shown how messages name it
     * @throws IllegalArgumentException naming the offending block (number and type) or the file's problem
     */
    public static String reencode(Path file, String shown) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("'" + shown + "' is not a regular file");
        }
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException("'" + shown + "' is larger than 1 MiB");
            }
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                bytes = in.readNBytes((int) MAX_BYTES + 1);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("'" + shown + "' cannot be read: " + e.getMessage(), e);
        }
        return reencode(new String(bytes, StandardCharsets.ISO_8859_1), shown);
    }

    /** The certificates of PEM text, re-encoded; see {@link #reencode(Path, String)}. */
    static String reencode(String pem, String shown) {
        Matcher m = BLOCK.matcher(pem);
        StringBuilder out = new StringBuilder();
        int blocks = 0;
        int end = 0;
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
        while (m.find()) {
            blocks++;
            if (BEGIN.matcher(pem.substring(end, m.start())).find()) {
                throw new IllegalArgumentException("'" + shown + "': block " + blocks + " has a BEGIN line without"
                        + " a matching END line");
            }
            end = m.end();
            String type = m.group(1);
            if (!type.equals(m.group(3))) {
                throw new IllegalArgumentException("'" + shown + "': block " + blocks + " begins as " + type
                        + " and ends as " + m.group(3));
            }
            if (!type.equals("CERTIFICATE")) {
                String why = type.contains("PRIVATE KEY")
                        ? ": a private key must never be copied into the dev container (it would be committed and"
                        + " world-readable in the image); keep only the CA's certificate"
                        : ": only CERTIFICATE blocks are accepted";
                throw new IllegalArgumentException("'" + shown + "': block " + blocks + " is a " + type
                        + ", not a certificate" + why);
            }
            X509Certificate certificate;
            try {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2));
                certificate = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
                out.append("-----BEGIN CERTIFICATE-----\n")
                        .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (IllegalArgumentException | CertificateException | ClassCastException e) {
                throw new IllegalArgumentException("'" + shown + "': block " + blocks + " is not a valid X.509"
                        + " certificate (" + firstLine(e.getMessage()) + ")");
            }
        }
        if (BEGIN.matcher(pem.substring(end)).find()) {
            throw new IllegalArgumentException("'" + shown + "': block " + (blocks + 1) + " is not a complete PEM"
                    + " block (BEGIN without END, or characters that are not base64)");
        }
        if (blocks == 0) {
            throw new IllegalArgumentException("'" + shown + "' is not a PEM certificate (no -----BEGIN CERTIFICATE-----"
                    + " block; convert DER with: openssl x509 -inform der -in FILE -out FILE.pem)");
        }
        return out.toString();
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse("unreadable");
        return line.length() > 120 ? line.substring(0, 120) + "…" : line;
    }

    /** The name a certificate is installed under: its file name without folder and extension, lower-cased. */
    public static String installName(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        int dot = base.lastIndexOf('.');
        return (dot > 0 ? base.substring(0, dot) : base).toLowerCase(java.util.Locale.ROOT);
    }
}
