package org.seedagent.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The one-shot boot path must not pay for JNA: without NOTIFY_SOCKET (and before the first message)
 * no JNA class is loaded. Checked in a fresh class loader, since this JVM has loaded JNA for other tests.
 */
class JnaLazyLoadingTest {

    private static final class Isolated extends URLClassLoader {
        Isolated(URL... urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }

        boolean loaded(String name) {
            return findLoadedClass(name) != null;
        }
    }

    private static URL jarOf(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    @Test
    void noNotifySocket_noJnaClassLoaded() throws Exception {
        try (Isolated loader =
                new Isolated(jarOf(SystemdNotifier.class), jarOf(Native.class), jarOf(LoggerFactory.class))) {
            Class<?> factory = loader.loadClass(SystemdNotifier.class.getName());
            Class<?> api = loader.loadClass(Notifier.class.getName());
            Method fromEnvironment = factory.getMethod("fromEnvironment", Map.class);

            Object noop = fromEnvironment.invoke(null, Map.of());
            api.getMethod("ready").invoke(noop);
            api.getMethod("status", String.class).invoke(noop, "x");
            api.getMethod("close").invoke(noop);
            assertFalse(loader.loaded(JnaNotifySocket.class.getName()), "JnaNotifySocket loaded without NOTIFY_SOCKET");

            Object unsent = fromEnvironment.invoke(null, Map.of("NOTIFY_SOCKET", "@seed-agent-test/unused"));
            assertEquals(Boolean.TRUE, api.getMethod("enabled").invoke(unsent));

            assertFalse(loader.loaded("com.sun.jna.Native"), "com.sun.jna.Native loaded");
            assertFalse(loader.loaded("com.sun.jna.Library"), "com.sun.jna.Library loaded");
            // The check itself works: a class that was loaded is seen.
            loader.loadClass("com.sun.jna.Native");
            assertTrue(loader.loaded("com.sun.jna.Native"));
        }
    }
}
