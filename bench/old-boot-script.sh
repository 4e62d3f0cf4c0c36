#!/bin/sh
# The old approach, done properly, as the benchmark's point of comparison for `seed-agent once`:
# a shell script that gets an IMDSv2 token, reads public-ipv4 and instance-id with curl, validates
# them strictly, and replaces the HTCondor fragment atomically (temp file in the same directory,
# fsync, rename, fsync of the directory) when its content changed. The agent's per-request
# time-out (2 s) but no retries; never through a proxy. It reads the two items the fragment needs
# and writes the same bytes as seed-agent.
#
# usage: old-boot-script.sh [ENDPOINT [FRAGMENT]]
#        defaults: http://169.254.169.254 /etc/condor/config.d/50-seed-agent.conf
# Exit: 0 written or unchanged, 69 metadata unavailable or invalid, 73 cannot write.
set -eu

endpoint=${1:-http://169.254.169.254}
fragment=${2:-/etc/condor/config.d/50-seed-agent.conf}

fail() { echo "old-boot-script: $2" >&2; exit "$1"; }

token=$(curl -fsS --noproxy '*' --connect-timeout 2 --max-time 2 -X PUT \
  -H 'X-aws-ec2-metadata-token-ttl-seconds: 21600' "$endpoint/latest/api/token") \
  || fail 69 "no IMDSv2 token from $endpoint"

get() {
  curl -fsS --noproxy '*' --connect-timeout 2 --max-time 2 \
    -H "X-aws-ec2-metadata-token: $token" "$endpoint/latest/meta-data/$1"
}
ip=$(get public-ipv4) || fail 69 "cannot read public-ipv4"
id=$(get instance-id) || fail 69 "cannot read instance-id"

# A canonical dotted quad and nothing else (command substitution strips trailing newlines, so a
# body "1.2.3.4\n" passes, as with every shell script of this kind).
valid_ipv4() {
  case $1 in '' | *[!0-9.]* | .* | *. | *..*) return 1 ;; esac
  old_ifs=$IFS; IFS=.; set -- $1; IFS=$old_ifs
  [ $# -eq 4 ] || return 1
  for octet; do
    case $octet in 0) ;; 0* | ????*) return 1 ;; esac
    [ "$octet" -le 255 ] || return 1
  done
}
valid_ipv4 "$ip" || fail 69 "public-ipv4 is not an IPv4 address: '$ip'"
case $id in i-*) ;; *) fail 69 "instance-id is not an instance id: '$id'" ;; esac
case ${id#i-} in '' | *[!0-9a-f]*) fail 69 "instance-id is not an instance id: '$id'" ;; esac

dir=$(dirname "$fragment")
tmp=$(mktemp "$dir/.$(basename "$fragment").XXXXXX.tmp") || fail 73 "cannot write in $dir"
trap 'rm -f "$tmp"' EXIT
cat >"$tmp" <<EOF || fail 73 "cannot write $tmp"
# Managed by seed-agent: DO NOT EDIT. This file is rewritten whenever the instance's
# address changes, and hand edits are reverted. To change the address HTCondor
# advertises, set TCP_FORWARDING_HOST in a file that sorts after this one, or configure
# seed-agent in /etc/seed-agent/seed-agent.conf. See \`seed-agent check\`.

# Public IPv4 address of this instance, from the EC2 instance metadata service.
TCP_FORWARDING_HOST = $ip

# Legacy names, for configurations written for the original seed recipe
# (TCP_FORWARDING_HOST = \$(EC2PublicIP)).
EC2PublicIP = $ip
EC2InstanceID = "$id"
EOF
if [ -f "$fragment" ] && [ ! -h "$fragment" ] && cmp -s "$tmp" "$fragment"; then
  echo "unchanged $fragment: TCP_FORWARDING_HOST = $ip"
  exit 0
fi
chmod 0644 "$tmp"
sync "$tmp" && mv -f "$tmp" "$fragment" && sync "$dir" || fail 73 "cannot replace $fragment"
trap - EXIT
echo "wrote $fragment: TCP_FORWARDING_HOST = $ip"
