# Sourced by ./mvnw and ./vectorgrad: makes JAVA_HOME point at a JDK 25 or newer.
# Keeps a JAVA_HOME that is already new enough; otherwise looks in the usual install
# folders. When none is found it leaves JAVA_HOME alone, and the enforcer rule in the
# parent pom stops the build with instructions.
vg_java_feature() {
  # prints the feature release (17, 25, ...) of the java binary in $1, or 0.
  # The JDK's release file answers without starting a JVM (which costs ~0.3 s per candidate).
  vg_release="${1%/bin/java}/release"
  if [ -r "$vg_release" ]; then
    vg_v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$vg_release" | head -n 1)"
    if [ -n "$vg_v" ]; then
      echo "$vg_v"
      return 0
    fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1 | grep . || echo 0
}
vg_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/javac" ] &&
     [ "$(vg_java_feature "$JAVA_HOME/bin/java")" -ge 25 ]; then
    return 0
  fi
  for vg_home in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*2[6-9]* \
                 "${HOME-/root}"/.jdks/*25* "${HOME-/root}"/.sdkman/candidates/java/25* \
                 /opt/java/*25* /Library/Java/JavaVirtualMachines/*25*/Contents/Home; do
    if [ -x "$vg_home/bin/javac" ] && [ "$(vg_java_feature "$vg_home/bin/java")" -ge 25 ]; then
      JAVA_HOME="$vg_home"
      export JAVA_HOME
      return 0
    fi
  done
  return 0
}
vg_find_jdk
# Maven 3.9's Guice calls sun.misc.Unsafe, which JDK 24+ warns about on every run; the option
# that silences it exists only from JDK 24 on, so add it only then.
if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(vg_java_feature "$JAVA_HOME/bin/java")" -ge 24 ]; then
  case "${MAVEN_OPTS-}" in
    *sun-misc-unsafe-memory-access*) ;;
    *) MAVEN_OPTS="${MAVEN_OPTS-} --sun-misc-unsafe-memory-access=allow"; export MAVEN_OPTS ;;
  esac
fi
