package dev.claudedevc.render;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.reflect.Guard;
import com.github.mustachejava.reflect.MissingWrapper;
import com.github.mustachejava.reflect.ReflectionObjectHandler;
import com.github.mustachejava.util.GuardException;
import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.assets.Assets;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * mustache.java configured for code, not HTML: values are written as they are, and a name the view does not
 * define fails the render instead of rendering as empty. Partials ({@code {{> name}}}) resolve among the same
 * assets, so a team override of a partial works like any other.
 */
public final class MustacheTemplateRenderer implements TemplateRenderer {

    private final Assets assets;

    public MustacheTemplateRenderer(Assets assets) {
        this.assets = assets;
    }

    @Override
    public String render(String template, Map<String, ?> view) {
        StrictFactory factory = new StrictFactory(assets);
        try {
            Mustache mustache = factory.compile(template);
            StringWriter out = new StringWriter();
            mustache.execute(out, view).flush();
            return out.toString();
        } catch (MustacheException e) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_OUTPUT,
                    assets.origin(template) + ": " + rootMessage(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        String message = e.getMessage();
        while (t != null) {
            if (t.getMessage() != null && t.getMessage().startsWith(MissingVariable.PREFIX)) {
                return t.getMessage();
            }
            t = t.getCause();
        }
        return message;
    }

    private static final class StrictFactory extends DefaultMustacheFactory {

        private final Assets assets;

        StrictFactory(Assets assets) {
            this.assets = assets;
            setObjectHandler(new StrictObjectHandler());
        }

        @Override
        public Reader getReader(String resourceName) {
            byte[] bytes = assets.read(resourceName).orElseThrow(
                    () -> new MustacheException("template not found: " + resourceName));
            return new StringReader(new String(bytes, StandardCharsets.UTF_8));
        }

        @Override
        public String resolvePartialPath(String dir, String name, String extension) {
            return "templates/" + name + extension;
        }

        /** No escaping: the view holds validated values and pre-encoded JSON. */
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final class StrictObjectHandler extends ReflectionObjectHandler {
        @Override
        protected MissingWrapper createMissingWrapper(String name, List<Guard> guards) {
            return new MissingVariable(name, guards.toArray(new Guard[0]));
        }
    }

    /** Fails the render when a name is not in any scope (after the guards confirm the scopes are the same). */
    private static final class MissingVariable extends MissingWrapper {
        static final String PREFIX = "missing variable ";
        private final String name;

        MissingVariable(String name, Guard[] guards) {
            super(name, guards);
            this.name = name;
        }

        @Override
        public Object call(List<Object> scopes) throws GuardException {
            guardCall(scopes);
            throw new MustacheException(PREFIX + "'" + name + "'");
        }
    }
}
