package io.grove.runtime.plugin;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.Callable;

/** Runs plugin code with the plugin's class loader as the thread's context class loader. */
public final class Isolation {
    private Isolation() {
    }

    /** Calls {@code action} under {@code loader}, restoring the previous context loader afterwards. */
    public static <T> T call(ClassLoader loader, Callable<T> action) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Wraps a plugin object so that every call through {@code contract} runs under the plugin's loader. Exceptions
     * pass through unchanged.
     */
    static <T> T wrap(Class<T> contract, T target, ClassLoader loader) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "isolated " + target;
                };
            }
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                thread.setContextClassLoader(previous);
            }
        };
        return contract.cast(Proxy.newProxyInstance(Isolation.class.getClassLoader(), new Class<?>[]{contract}, handler));
    }
}
