package demo;

import io.energy.junit.EnergyBudget;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class BudgetTest {
    @Test
    @EnergyBudget(joules = 1000)
    void generousBudget() {
        assertTrue(Work.hash(1500) != 1);
    }

    @Test
    @EnergyBudget(joules = 0.001)
    void tightBudget() {
        assertTrue(Work.hash(1500) != 1);
    }
}
