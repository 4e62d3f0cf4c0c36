/** The benchmark's floor: the cheapest Java program, started with the launcher's JVM and options. */
public final class Floor {
    public static void main(String[] args) {
        System.out.println("floor");
    }
}
