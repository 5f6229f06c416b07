# Sourced by ./theta, ./build and .ci/run: points JAVA_HOME at a JDK >= 21.
# Order: $JAVA_HOME, the java on PATH, then the JDKs under /usr/lib/jvm (newest first).
theta_java_version() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1
}

theta_find_jdk() {
    local candidates=()
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    if command -v javac >/dev/null 2>&1; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
    fi
    local d
    for d in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
        candidates+=("${d%/}")
    done
    local c v
    for c in "${candidates[@]}"; do
        [ -x "$c/bin/javac" ] || continue
        v=$(theta_java_version "$c")
        if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null; then
            echo "$c"
            return 0
        fi
    done
    return 1
}

if ! THETA_JDK=$(theta_find_jdk); then
    echo "theta needs a JDK 21 or newer; none found in JAVA_HOME, on PATH or under /usr/lib/jvm." >&2
    echo "Install one (for example: apt-get install openjdk-21-jdk-headless) or set JAVA_HOME." >&2
    exit 1
fi
export JAVA_HOME="$THETA_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
