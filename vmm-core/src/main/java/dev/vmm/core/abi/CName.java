package dev.vmm.core.abi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the C macro a Java constant mirrors, so that the ABI check compares the two against the
 * kernel and libc headers. Every numeric constant passed to the kernel carries one.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface CName {
    String value();
}
