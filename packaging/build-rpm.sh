#!/usr/bin/env bash
# Builds the seed-agent RPM (noarch, for EL9) from the Maven build.
#
#   packaging/build-rpm.sh            # mvn package, then rpmbuild; prints the RPM's path
#
# Options:
#   --no-maven           use the existing target/seed-agent/ instead of running Maven
#   --release N          RPM release (default 1); bump it to rebuild the same version
#   --output DIR         where the RPM goes (default target/rpm; the RPM lands in DIR/noarch/)
#   --unit FILE          package FILE as the unit instead of systemd/seed-agent.service
#   --agent-config FILE  package FILE as /etc/seed-agent/seed-agent.conf instead of
#                        packaging/seed-agent.conf (the end-to-end test uses it to build an upgrade)
#
# Needs Java 17 and Maven (unless --no-maven) and rpmbuild: "dnf install rpm-build" on EL,
# "apt-get install rpm" on Debian/Ubuntu. The version comes from the jar Maven built
# (target/seed-agent/lib/seed-agent-VERSION.jar): a -SNAPSHOT becomes a pre-release that sorts
# before the final version, 0.1.0-SNAPSHOT -> 0.1.0~snapshot<commit date>.g<commit>.
# Where the host's rpm lacks EL9's macros (Debian: no %_unitdir or %systemd_post, /usr/com for
# %_sharedstatedir) packaging/macros.el9 is loaded, so the package is the one EL9 would build.
# Everything but the RPM's path goes to standard error.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit "${1:-2}"; }

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
maven=yes
release=1
output=$root/target/rpm
unit=$root/systemd/seed-agent.service
agent_config=$here/seed-agent.conf

while (($# > 0)); do
  case $1 in
    --no-maven) maven=no ;;
    --release) release=${2:?--release needs a value}; shift ;;
    --output) output=${2:?--output needs a directory}; shift ;;
    --unit) unit=${2:?--unit needs a file}; shift ;;
    --agent-config) agent_config=${2:?--agent-config needs a file}; shift ;;
    -h|--help) usage 0 ;;
    *) echo "build-rpm.sh: unknown option $1" >&2; usage ;;
  esac
  shift
done
[[ $release =~ ^[0-9]+(\.[0-9A-Za-z]+)*$ ]] || { echo "build-rpm.sh: bad release '$release'" >&2; exit 2; }

command -v rpmbuild >/dev/null || {
  echo "build-rpm.sh: rpmbuild not found (EL: dnf install rpm-build; Debian: apt-get install rpm)" >&2
  exit 69
}
for f in "$unit" "$agent_config"; do
  [[ -f $f ]] || { echo "build-rpm.sh: $f is missing" >&2; exit 66; }
done

if [[ $maven == yes ]]; then
  echo "build-rpm.sh: mvn -B -q package -DskipTests" >&2
  (cd "$root" && mvn -B -q package -DskipTests) >&2
fi
dist=$root/target/seed-agent
jars=("$dist"/lib/seed-agent-*.jar)
[[ -f ${jars[0]} && -x $dist/bin/seed-agent ]] || {
  echo "build-rpm.sh: $dist is not built (run without --no-maven)" >&2
  exit 66
}
((${#jars[@]} == 1)) || { echo "build-rpm.sh: more than one ${jars[*]}" >&2; exit 65; }

# The version: from the jar's name, -SNAPSHOT mapped to a pre-release RPM version.
pom_version=$(basename "${jars[0]}" .jar)
pom_version=${pom_version#seed-agent-}
version=$pom_version
if [[ $version == *-SNAPSHOT ]]; then
  snapshot=snapshot
  if stamp=$(cd "$root" && TZ=UTC git log -1 --format='%cd.g%h' --date=format-local:'%Y%m%d.%H%M%S' 2>/dev/null); then
    snapshot=snapshot$stamp
  fi
  version=${version%-SNAPSHOT}~$snapshot
fi
version=${version//-/\~}
[[ $version =~ ^[0-9A-Za-z._+~^]+$ ]] || { echo "build-rpm.sh: cannot map version '$pom_version'" >&2; exit 65; }

# Source0: the built program plus the files the spec installs.
mkdir -p "$output"
output=$(cd "$output" && pwd)
work=$output/build
rm -rf "$work"
src=$work/stage/seed-agent-$version
mkdir -p "$src" "$work/SOURCES"
cp -a "$dist/bin" "$dist/lib" "$dist/licenses" "$src/"
# Bundled libraries' licence files, each library's under licenses/ARTIFACT/: a file identical to
# one kept already (the Apache License comes with each of the SDK's 17 jars) is replaced by a line
# in licenses/SAME-AS saying which one it is, so every text ships once.
: >"$src/licenses/SAME-AS"
declare -A first_of
first_of[$(sha256sum <"$here/LICENSE")]="../LICENSE (seed-agent's own licence)"
while IFS= read -r -d '' f; do
  sum=$(sha256sum <"$f")
  rel=${f#"$src/licenses/"}
  if [[ -n ${first_of[$sum]:-} ]]; then
    echo "$rel: same as ${first_of[$sum]}" >>"$src/licenses/SAME-AS"
    rm -f "$f"
  else
    first_of[$sum]=$rel
  fi
done < <(find "$src/licenses" -type f ! -name SAME-AS -print0 | LC_ALL=C sort -z)
cp "$unit" "$src/seed-agent.service"
cp "$agent_config" "$src/seed-agent.conf"
cp "$here/seed-agent.1" "$here/LICENSE" "$root/README.md" "$root/CHANGELOG.md" "$src/"
# The rest of the documentation (README.md is its front page), shipped with it as %doc.
cp -R "$root/docs" "$src/docs"
# The IMDS guard: its unit, the preset that enables it, the root-only rule set its unit loads first.
cp "$root/systemd/seed-agent-imds-guard.service" "$root/systemd/seed-agent-imds-guard-watch.service" \
  "$here/85-seed-agent.preset" "$here/imds-guard.nft" "$here/imds-guard-watch" "$src/"
tar -C "$work/stage" --sort=name --owner=0 --group=0 --numeric-owner \
  -czf "$work/SOURCES/seed-agent-$version.tar.gz" "seed-agent-$version"

args=(--define "_topdir $work" --define "_rpmdir $output"
      --define "seed_version $version" --define "seed_release $release")
if [[ -z $(rpm --eval '%{?systemd_post:yes}') ]]; then
  # No systemd-rpm-macros here: use EL9's definitions; they also stand in for the BuildRequires.
  args+=(--load "$here/macros.el9" --nodeps)
fi
echo "build-rpm.sh: rpmbuild -bb seed-agent $version-$release" >&2
rpmbuild -bb "${args[@]}" "$here/seed-agent.spec" >&2

# seed-agent-VERSION-RELEASE[DIST].noarch.rpm (DIST: .el9 on EL9, nothing elsewhere)
rpm_file=$(ls -t "$output"/noarch/seed-agent-"$version-$release"*.noarch.rpm 2>/dev/null | head -n 1)
[[ -n $rpm_file ]] || { echo "build-rpm.sh: rpmbuild produced no RPM" >&2; exit 70; }
rm -rf "$work"
echo "$rpm_file"
