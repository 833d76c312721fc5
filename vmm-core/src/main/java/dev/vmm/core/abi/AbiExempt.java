package dev.vmm.core.abi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a layout that no kernel or libc header defines (the JDK's errno capture state), so the ABI
 * check skips it. Everything else with a layout must carry its C name.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface AbiExempt {
    /** Why no header describes it. */
    String value();
}
