package io.energy.it.apps;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * An application with its own class loaders: a child-first loader, and one loader per plugin, each
 * loading {@code io.energy.it.apps.plugin.Plugin} from the same directory. Instrumented code inlined into
 * classes of these loaders must still find the agent's bridge.
 */
public final class PluginHost {
    private PluginHost() {
    }

    /** Loads its own copy of a class before asking the parent: the loader order app servers use. */
    static final class ChildFirstLoader extends URLClassLoader {
        ChildFirstLoader(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && name.startsWith("io.energy.it.apps.plugin.")) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException e) {
                        c = null;
                    }
                }
                if (c == null) {
                    return super.loadClass(name, resolve);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        URL[] urls = {Path.of(args[0]).toUri().toURL()};
        long total = 0;
        for (int i = 0; i < 3; i++) {
            ClassLoader loader = i == 0 ? new ChildFirstLoader(urls, PluginHost.class.getClassLoader())
                    : new URLClassLoader(urls, null);
            Class<?> plugin = Class.forName("io.energy.it.apps.plugin.Plugin", true, loader);
            Object result = plugin.getMethod("run", int.class).invoke(null, 100 + i);
            System.out.println("plugin " + i + " loader " + (i == 0 ? "child-first" : "isolated") + " result " + result);
            total += (Long) result;
        }
        System.out.println("total " + total);
    }
}
