# Sourced by bench/run.sh and bench/interleaved.sh (from the repository root): finds JDK 25,
# builds bench/target/benchmarks.jar and sets JAVA, JAVA_FAIR, FLAGS and JAR.
. .mvn/find-jdk.sh
JAVA="${JAVA_HOME:?no JDK 25 found: set JAVA_HOME}/bin/java"
# The Vector API module for vectorgrad; native access for OpenBLAS (JavaCPP and the FFM calls).
FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
# The JVMs that measure OpenBLAS start without the variables that override its choice of kernels
# and blocking (OPENBLAS_CORETYPE=Haswell halves it on AVX-512); JMH's forks inherit this
# environment, and the OpenBLAS contender refuses to run if they are set (OpenBlasCore).
JAVA_FAIR=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$JAVA")

./mvnw -B -ntp -q -pl bench -am package -DskipTests

# Benchmarks read the jar as their class path (JMH's forks start later): run from a copy, so that
# a rebuild during the run cannot change the classes under them.
JAR="$(mktemp -d)/benchmarks.jar"
trap 'rm -rf "$(dirname "$JAR")"' EXIT
cp bench/target/benchmarks.jar "$JAR"
