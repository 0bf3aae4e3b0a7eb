package io.energy.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Measures the energy of each test (each repetition of a {@code @RepeatedTest}) with the energy agent: the
 * test method's body, between {@code @BeforeEach} and {@code @AfterEach}. Results go to
 * {@code target/energy-tests/} (one JSON file per test; {@code -Denergy.tests.dir=DIR} moves them) and a table
 * is printed when the run ends. With {@code -Denergy.baseline=DIR} each test is compared with a stored run
 * (see {@link EnergyExtension}).
 *
 * <p>The agent must be on the test JVM (surefire's {@code argLine}); without it tests run as usual and the
 * records say that no agent was loaded.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EnergyExtension.class)
public @interface MeasureEnergy {
}
