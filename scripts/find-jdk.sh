# Sourced by ./mvnw, ./sandbox and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Order: an existing JAVA_HOME that is new enough, `java` on PATH, then the usual install folders.
aiops_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}
aiops_find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for c in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* /usr/lib/jvm/*21* /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/javac" ] || continue
    major=$(aiops_java_major "$c")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$c"
      return 0
    fi
  done
  echo "error: no JDK >= 21 found (looked at JAVA_HOME, javac on PATH, /usr/lib/jvm, /opt/java)." >&2
  echo "       Install one (e.g. Temurin 21 or 25) or set JAVA_HOME to it." >&2
  return 1
}
# JDK >= 24 warns when libraries (Zeebe's agrona) use sun.misc.Unsafe; the flag allowing it exists from JDK 23.
aiops_quiet_unsafe_flag() {
  local major
  major=$(aiops_java_major "$JAVA_HOME")
  if [ -n "$major" ] && [ "$major" -ge 23 ]; then
    echo "--sun-misc-unsafe-memory-access=allow"
  fi
}
