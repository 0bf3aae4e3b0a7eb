package io.energy.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Fails a test (each repetition) whose energy exceeds {@link #joules()} beyond its uncertainty: when
 * {@code joules - bound > budget}. The failure names the test, its joules ± bound, the budget and the methods
 * with most self joules while it ran. Implies {@link MeasureEnergy}. On a method it overrides the class's.
 *
 * <p>Without an agent the budget cannot be checked: the test passes and the record says why, unless
 * {@code -Denergy.require=true}, which fails it.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EnergyExtension.class)
public @interface EnergyBudget {
    /** The most joules one run of the test may cost (this process, all domains that add up). */
    double joules();
}
