package dev.ntpdeploy.lab;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

import java.util.Comparator;

/**
 * Orders IT classes so each lab shape is brought up once: classes without {@link LabShape} first (in the
 * order JUnit gives them), then the shaped ones grouped by shape. Set for the ITs in pom.xml
 * ({@code junit.jupiter.testclass.order.default}).
 */
public final class LabShapeOrder implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        // List.sort is stable: classes of one shape keep JUnit's order among themselves
        context.getClassDescriptors().sort(Comparator.comparing(LabShapeOrder::key));
    }

    private static String key(ClassDescriptor d) {
        return d.findAnnotation(LabShape.class).map(s -> "1 " + LabExtension.Shape.of(s, 0).fleetArgs()).orElse("0");
    }
}
