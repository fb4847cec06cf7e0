# directory.sh: the benchmark's key lists in a directory (sourced by
# run-bench, bash, once its scratch folder, stores and helpers exist).
#
# The same 10-credential sign-in as the file store's, with policy
# keys = "ldap": pam_seckey.so runs seckey-keys-ldap at its compiled-in
# path (tests/sh/readerns.sh: root, a private mount namespace, an
# overlay) as nobody, which reads alice's 10 passkey values from a
# private slapd (tests/sh/slapd.sh) over ldaps:// with a simple bind,
# and the module keeps its offline cache.  Three servers, each
# bulk-loaded with slapadd before it starts, objectClass and uid indexed
# (tests/sh/slapd.sh):
#
#   ldap-small    10 other users and alice
#   ldap-large    --users other users and alice
#   ldap-offline  as ldap-small; one sign-in fills the cache, then the
#                 server is stopped: every sign-in finds it refusing
#                 connections and uses the offline cache
#
# Every other user has one value (a copy of a spare credential), alice
# last, as in the file stores.  The passwd file is the small file
# store's (10 other users) and nobody, the reader's user.
#
# Defines: dir_skip (why the directory is not measured, or empty),
# DIR_SCENARIOS, dir_setup, dir_check_online SINCE, dir_stop_all,
# dir_report.

DIR_NAMES="small large offline"
DIR_SCENARIOS="seckey:ldap-small seckey:ldap-large seckey:ldap-offline"
DIR_NOBODY=65534
declare -A DIR_COUNT DIR_LOAD_SECS

SLAPD_DIR="$WORK/slapd-small"
# shellcheck source=../sh/slapd.sh
. "$top_srcdir/tests/sh/slapd.sh"
# slapd.sh sets its own EXIT trap for TAP tests: ours stops every server.
trap cleanup EXIT
if [ -z "$dir_skip" ]; then
	dir_skip=$(slapd_missing) && dir_skip=""
fi

dir_stop_all() {
	local name
	for name in $DIR_NAMES; do
		[ -d "$WORK/slapd-$name" ] && SLAPD_DIR="$WORK/slapd-$name" slapd_stop
	done
	return 0
}

# passkey_values LIST: one SSSD/FreeIPA passkey value per key of a key
# list (key "NAME" { field = "value" ... }), with our metadata, as
# `seckey register --print-mapping` prints it (lib/seckey_passkey.c).
passkey_values() {
	local name cred pubkey alg aaguid transport created meta
	while IFS=$'\t' read -r name cred pubkey alg aaguid transport created; do
		meta=$(printf 'seckey=1\nname=%s\ncreated=%s\naaguid=%s\nalg=%s\ntransport=%s\n' \
		    "$name" "$created" "$aaguid" "$alg" "$transport" | base64 -w0)
		printf 'passkey:%s,%s,%s\n' "$cred" "$pubkey" "$meta"
	done < <(awk '
		/^key "/ { name = $0; sub(/^key "/, "", name); sub(/" \{$/, "", name) }
		/^  [a-z_]+ *= "/ {
			v = $0; sub(/^[^"]*"/, "", v); sub(/"$/, "", v); f[$1] = v }
		/^}/ { printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", name, f["credential"],
			f["public_key"], f["algorithm"], f["aaguid"], f["transport"],
			f["created"] }' "$1")
}

# dir_server NAME OTHERS: a bulk-loaded server, its reader settings
# (root's, 0644; the password nobody's, 0600), and a store with policy
# keys = "ldap", its PAM service seckey-ldap-NAME.
dir_server() {
	local name=$1 others=$2 ldif="$WORK/dir-$1.ldif" dir="$WORK/store/ldap-$1"
	local conf_dir="$WORK/ldap-$1" started
	SLAPD_DIR="$WORK/slapd-$name"
	mkdir -p "$SLAPD_DIR"
	{
		slapd_users_ldif "$others" user "$DIR_OTHER_VALUE"
		echo
		slapd_user_ldif "$USER_NAME" "$USER_UID" "${DIR_ALICE_VALUES[@]}"
	} > "$ldif"
	started=$EPOCHREALTIME
	slapd_start "$ldif" || die "slapd with $others users did not start ($SLAPD_DIR)"
	DIR_LOAD_SECS[$name]=$(awk -v a="$started" -v b="$EPOCHREALTIME" \
	    'BEGIN { printf "%.1f", b - a }')
	DIR_COUNT[$name]=$others
	rm -f "$ldif"

	mkdir -p "$conf_dir"
	chmod 0755 "$conf_dir"
	install -m 0644 "$SLAPD_CA" "$conf_dir/ca.pem"
	printf '%s\n' "$SLAPD_READER_PW" > "$conf_dir/reader.secret"
	chown "$DIR_NOBODY" "$conf_dir/reader.secret"
	chmod 0600 "$conf_dir/reader.secret"
	printf '%s\n' "uri = {\"ldaps://127.0.0.1:$SLAPD_TLS_PORT\"}" \
	    "base = \"$SLAPD_SUFFIX\"" "bind_dn = \"$SLAPD_READER_DN\"" \
	    "bind_password_file = \"$conf_dir/reader.secret\"" \
	    "tls_ca_file = \"$conf_dir/ca.pem\"" "timeout = 10" \
	    > "$conf_dir/seckey-ldap.conf"
	chmod 0644 "$conf_dir/seckey-ldap.conf"

	# The reader under callgrind takes seconds: a timeout that only a
	# reader that hangs reaches (the timed sign-ins are far from it).
	mkdir -p "$dir"
	chmod 0755 "$dir"
	{
		head -n -1 "$WORK/store/small-c10/passwd"
		printf 'nobody:x:%s:%s:nobody:/nonexistent:/usr/sbin/nologin\n' \
		    "$DIR_NOBODY" "$DIR_NOBODY"
		tail -n 1 "$WORK/store/small-c10/passwd"
	} > "$dir/passwd"
	{
		cat "$WORK/store/small-c10/group"
		printf 'nobody:x:%s:\n' "$DIR_NOBODY"
	} > "$dir/group"
	printf '%s\n' "enabled = true" "rp_id = \"$RP\"" "keys = \"ldap\"" \
	    "ldap_conf = \"$conf_dir/seckey-ldap.conf\"" \
	    "keys_cache = \"$WORK/cache-$name\"" "keys_command_timeout = 60" \
	    "state_dir = \"$WORK/state\"" > "$dir/pam_seckey.conf"
	chmod 0644 "$dir/pam_seckey.conf" "$dir/passwd" "$dir/group"
	printf 'auth required %s conf=%s\n' "$MODULE" "$dir/pam_seckey.conf" \
	    > "$PAM_SERVICE_DIR/seckey-ldap-$name"
}

# dir_signin STORE: one sign-in (no latency), which must succeed.
dir_signin() {
	with_keys 1 0 -- bash -c 'signin seckey "$1"' dir-signin "$1" ||
		{ cat "$WORK/last.out" >&2; die "sign-in with keys in the directory failed: $1"; }
}

# dir_reader NAME: the reader as the module runs it (as nobody) prints
# alice's 10 keys.
dir_reader() {
	local n
	n=$(setpriv --reuid="$DIR_NOBODY" --regid="$DIR_NOBODY" --clear-groups \
	    "$SECKEY_KEYS_LDAP" --conf "$WORK/ldap-$1/seckey-ldap.conf" \
	    "$USER_NAME" 2>"$WORK/reader.err" | grep -c '^key ')
	[ "$n" -eq 10 ] || { cat "$WORK/reader.err" >&2; die "the reader found $n keys of $USER_NAME in ldap-$1, not 10"; }
}

# Sets dir_skip when the reader cannot be put at its path; dies when a
# server or a sign-in fails.
dir_setup() {
	local name
	[ -z "$dir_skip" ] || return 0
	if ! reader_ns_install "$WORK/ov" "$MODULE"; then
		dir_skip=$READER_NS_SKIP
		return 0
	fi
	mapfile -t DIR_ALICE_VALUES < <(passkey_values "$WORK/store/small-c10/seckey.d/$USER_NAME.conf")
	[ "${#DIR_ALICE_VALUES[@]}" -eq 10 ] || die "alice's key list did not make 10 passkey values"
	DIR_OTHER_VALUE=$(passkey_values "$WORK/cred/seckey-spare" | head -n 1)
	dir_server small 10
	dir_server large "$users"
	dir_server offline 10
	note "directory: slapd with $users users loaded and started in ${DIR_LOAD_SECS[large]} s"
	# The reader answers as nobody; each store signs in once (and the
	# servers are warm, as a directory in use is).
	for name in $DIR_NAMES; do
		dir_reader "$name"
		dir_signin "ldap-$name"
	done
	# The offline store: its cache is filled, its server stopped.
	[ -s "$WORK/cache-offline/$USER_NAME" ] || die "the offline cache was not written"
	SLAPD_DIR="$WORK/slapd-offline" slapd_stop
	dir_signin ldap-offline
	mkdir -p "$WORK/cg"
	# The reader, run as nobody under callgrind, writes its profile there.
	chmod 1777 "$WORK/cg"
}

# dir_check_online SINCE: the online stores' sign-ins since SINCE (epoch
# seconds) read the directory, not the cache: each rewrote its cache.
dir_check_online() {
	local name written
	for name in small large; do
		written=$(sed -n '1s/^# seckey offline cache, written \([0-9]*\)$/\1/p' \
		    "$WORK/cache-$name/$USER_NAME")
		[ -n "$written" ] && [ "$written" -ge "$1" ] ||
			die "ldap-$name: the sign-ins did not read the directory (cache written ${written:-never})"
	done
	[ ! -s "$WORK/slapd-offline/slapd.pid" ] || die "the offline store's slapd runs"
}

dir_report() {
	local file=seckey:small-c10:1 ref=seckey:dir-small-c10:1 id name what
	local lat lat_large lat_off cpu_large
	echo
	if [ -n "$dir_skip" ]; then
		echo "Keys in a directory: skipped: $dir_skip"
		return 0
	fi
	echo "Keys in a directory: the same sign-in (10 credentials, 1 key plugged in),"
	echo "the key list read by seckey-keys-ldap from slapd over ldaps:// with a simple"
	echo "bind (objectClass and uid indexed); CPU of the whole sign-in, the reader"
	echo "included; the stores measured in turn."
	echo
	echo "| Key store | Other users | CTAP commands | Latency median (ms) | IQR (ms) | vs file store | CPU (M instructions) | of which the reader | vs file store | Peak RSS (MiB) |"
	echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	printf '| file (keys_file) | 10 | %s | %s | %s–%s | 1.00 | %s | 0.0 | 1.00 | %s |\n' \
	    "${CBOR[$file]}" "${MED[$ref]}" "${P25[$ref]}" "${P75[$ref]}" \
	    "$(mi "${INSTR[$file]:-}")" "$(mib "${RSS[$file]}")"
	for name in small large offline; do
		id="seckey:ldap-$name:1"
		case "$name" in
		small) what="directory (slapd)" ;;
		large) what="directory (slapd)" ;;
		offline) what="directory, slapd stopped: offline cache" ;;
		esac
		printf '| %s | %s | %s | %s | %s–%s | %s | %s | %s | %s | %s |\n' \
		    "$what" "$(thousands "${DIR_COUNT[$name]}")" "${CBOR[$id]}" \
		    "${MED[$id]}" "${P25[$id]}" "${P75[$id]}" \
		    "$(ratio "${MED[$id]}" "${MED[$ref]}")" \
		    "$(mi "${INSTR[$id]:-}")" "$(mi "${INSTR_READER[$id]:-}")" \
		    "$(ratio "${INSTR[$id]:-}" "${INSTR[$file]:-}")" \
		    "$(mib "${RSS[$id]}")"
	done
	lat=$(ratio "${MED[seckey:ldap-small:1]}" "${MED[$ref]}")
	lat_large=$(ratio "${MED[seckey:ldap-large:1]}" "${MED[seckey:ldap-small:1]}")
	cpu_large=$(ratio "${INSTR[seckey:ldap-large:1]:-}" "${INSTR[seckey:ldap-small:1]:-}")
	lat_off=$(ratio "${MED[seckey:ldap-offline:1]}" "${MED[$ref]}")
	echo
	echo "Targets (keys in a directory):"
	echo
	echo "- directory: latency <= 1.10 x the file store: $lat, $(verdict "$lat" '<=' 1.10)"
	echo "- directory: $(thousands "$users") users <= 1.05 x 10 users: $lat_large, $(verdict "$lat_large" '<=' 1.05) (instructions $cpu_large)"
	echo "- directory: slapd stopped, offline cache <= 1.10 x the file store: $lat_off, $(verdict "$lat_off" '<=' 1.10)"
}
