# slapd.sh: a private OpenLDAP server for a test (sourced, bash, after
# tap.sh).  Everything lives in $TEST_TMP/slapd; the server is stopped
# when the test exits, whatever happened.
#
#   slapd_start [LDIF]          cn=config, back_mdb, dc=example,dc=org
#                               (objectClass and uid indexed: without the
#                               first, every subtree search reads every
#                               entry, for back-mdb looks for referrals
#                               with (objectClass=referral)), the system
#                               schemas +
#                               conf/ldap/seckey.ldif, conf/ldap/acl.ldif;
#                               listens on ldapi://,
#                               ldap://127.0.0.1:$SLAPD_PORT (StartTLS) and
#                               ldaps://127.0.0.1:$SLAPD_TLS_PORT.  With
#                               LDIF (a file), the base entries and LDIF's
#                               are bulk-loaded with slapadd before slapd
#                               starts: 100,000 users in seconds
#   slapd_launch                start it again after slapd_stop
#   slapd_stop                  stop it (also done at exit)
#   slapd_admin CMD ARGS...     an ldap-utils CMD bound as the rootdn
#   slapd_add_user NAME [VALUE...]   posixAccount + seckeyUser + passwd
#                               "NAME-pw", with passkey VALUEs
#   slapd_user_ldif NAME UIDNUMBER [VALUE...]   that entry as LDIF
#   slapd_set_values NAME ATTR [VALUE...]  replace ATTR of NAME's entry
#   slapd_users_ldif COUNT PREFIX [VALUE]  LDIF of COUNT users PREFIX000001...
#                               shaped as slapd_add_user's, each with
#                               passkey VALUE (for slapd_start LDIF)
#   slapd_missing               why slapd cannot run here (stdout, status
#                               1), or nothing (status 0)
#   slapd_reader_files DIR      seckey-keys-ldap's files for this server in
#                               DIR (made 0755): ca.pem, and reader.secret
#                               for nobody ($nobody_uid, pam_add_nobody);
#                               sets LDAPDIR and LDAPCONF (DIR/seckey-ldap.conf)
#   slapd_reader_conf [LINE...] writes LDAPCONF: ldaps, the reader's bind,
#                               the users' own DNs (user_dn), the CA, then
#                               LINEs
#
# Set: SLAPD_SUFFIX, SLAPD_ROOTDN, SLAPD_ROOTPW, SLAPD_LDAPI (URI),
# SLAPD_CA (the test CA's certificate), SLAPD_OTHER_CA (a CA that signed
# nothing here), SLAPD_READER_DN, SLAPD_READER_PW, SLAPD_PID.  Without
# slapd the test is skipped: CI installs it (scripts/install-deps).
# SLAPD_DIR (default $TEST_TMP/slapd) may be set before sourcing, or
# between servers to run several (the functions act on the one it
# names); SLAPD_DB_MAXSIZE is the database's map size in bytes.
# Outside a TAP test (tests/bench/run-bench) the caller defines diag and
# its own EXIT trap, and calls slapd_stop itself.

SLAPD_BIN=$(command -v slapd || echo /usr/sbin/slapd)
: "${SLAPD_DIR:=$TEST_TMP/slapd}"
: "${SLAPD_DB_MAXSIZE:=16777216}"
SLAPD_SUFFIX="dc=example,dc=org"
SLAPD_ROOTDN="cn=admin,$SLAPD_SUFFIX"
SLAPD_ROOTPW="admin-secret"
SLAPD_READER_DN="cn=seckey-reader,$SLAPD_SUFFIX"
SLAPD_READER_PW="reader-secret"
SLAPD_PID=""

slapd_missing() {
	local why=""
	if [ ! -x "$SLAPD_BIN" ]; then
		why="slapd is not installed (scripts/install-deps installs it)"
	elif ! command -v ldapadd >/dev/null; then
		why="ldap-utils is not installed"
	elif ! command -v openssl >/dev/null; then
		why="openssl is not installed"
	elif [ ! -e /usr/lib/ldap/back_mdb.so ]; then
		why="slapd has no back_mdb"
	fi
	[ -z "$why" ] && return 0
	echo "$why"
	return 1
}

slapd_require() {
	local why
	why=$(slapd_missing) || plan_skip_all "$why"
}

# A test CA, a server certificate for 127.0.0.1 and localhost, and a
# second CA that signed nothing, for the wrong-CA case.
slapd_make_certs() {
	local d="$SLAPD_DIR/tls"
	mkdir -p "$d"
	(
		cd "$d" || exit 1
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
			-nodes -keyout ca.key -out ca.pem -days 2 \
			-subj "/CN=pam_seckey test CA" &&
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
			-nodes -keyout other.key -out other.pem -days 2 \
			-subj "/CN=pam_seckey other CA" &&
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout server.key -out server.csr -subj "/CN=localhost" &&
		printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >ext &&
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
			-CAcreateserial -out server.pem -days 2 -extfile ext
	) >"$SLAPD_DIR/openssl.log" 2>&1 || return 1
	SLAPD_CA="$d/ca.pem"
	SLAPD_OTHER_CA="$d/other.pem"
}

slapd_config_ldif() {
	local s
	cat <<EOF
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: $SLAPD_DIR/slapd.pid
olcArgsFile: $SLAPD_DIR/slapd.args
olcTLSCACertificateFile: $SLAPD_DIR/tls/ca.pem
olcTLSCertificateFile: $SLAPD_DIR/tls/server.pem
olcTLSCertificateKeyFile: $SLAPD_DIR/tls/server.key
olcAuthzRegexp: "gidNumber=$(id -g)\\+uidNumber=$(id -u),cn=peercred,cn=external,cn=auth" "$SLAPD_READER_DN"

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

EOF
	for s in core cosine inetorgperson nis; do
		echo "include: file:///etc/ldap/schema/$s.ldif"
		echo
	done
	echo "include: file://$top_srcdir/conf/ldap/seckey.ldif"
	echo
	cat <<EOF
dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcRootDN: cn=config
olcRootPW: $SLAPD_ROOTPW

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: $SLAPD_SUFFIX
olcDbDirectory: $SLAPD_DIR/db
olcDbMaxSize: $SLAPD_DB_MAXSIZE
olcDbIndex: objectClass eq
olcDbIndex: uid eq
olcRootDN: $SLAPD_ROOTDN
olcRootPW: $SLAPD_ROOTPW
olcAccess: {0}to attrs=userPassword by self write by anonymous auth by * none
olcAccess: {1}to * by users read by * none
EOF
}

# A free TCP port on 127.0.0.1 (a race with other programs is possible:
# slapd_start tries again).
slapd_free_port() {
	local port
	while :; do
		port=$((20000 + RANDOM % 40000))
		ss -Htln "sport = :$port" 2>/dev/null | grep -q . || break
	done
	echo "$port"
}

slapd_launch() {
	local sock="$SLAPD_DIR/ldapi" i
	SLAPD_LDAPI="ldapi://${sock//\//%2F}"
	SLAPD_PORT=$(slapd_free_port)
	SLAPD_TLS_PORT=$(slapd_free_port)
	rm -f "$SLAPD_DIR/slapd.pid"
	"$SLAPD_BIN" -F "$SLAPD_DIR/conf" -h "$SLAPD_LDAPI ldap://127.0.0.1:$SLAPD_PORT/ ldaps://127.0.0.1:$SLAPD_TLS_PORT/" \
		>>"$SLAPD_DIR/slapd.log" 2>&1 || return 1
	for i in $(seq 50); do
		[ -s "$SLAPD_DIR/slapd.pid" ] && ldapsearch -x -H "$SLAPD_LDAPI" \
			-b "" -s base >/dev/null 2>&1 && break
		sleep 0.1
	done
	SLAPD_PID=$(cat "$SLAPD_DIR/slapd.pid" 2>/dev/null)
	[ -n "$SLAPD_PID" ] && kill -0 "$SLAPD_PID" 2>/dev/null
}

slapd_base_ldif() {
	cat <<EOF
dn: $SLAPD_SUFFIX
objectClass: dcObject
objectClass: organization
dc: example
o: pam_seckey tests

dn: ou=people,$SLAPD_SUFFIX
objectClass: organizationalUnit
ou: people

dn: $SLAPD_READER_DN
objectClass: applicationProcess
objectClass: simpleSecurityObject
cn: seckey-reader
userPassword: $SLAPD_READER_PW
EOF
}

slapd_start() {
	local bulk=${1:-} try size
	slapd_require
	# A map large enough for what is loaded (indexes included): mdb
	# only reserves the address space, the file grows as it is used.
	if [ -n "$bulk" ]; then
		size=$(($(stat -c %s "$bulk") * 8))
		[ "$size" -le "$SLAPD_DB_MAXSIZE" ] || SLAPD_DB_MAXSIZE=$size
	fi
	mkdir -p "$SLAPD_DIR/conf" "$SLAPD_DIR/db"
	chmod 0700 "$SLAPD_DIR"
	slapd_make_certs || { diag "$(cat "$SLAPD_DIR/openssl.log")"; return 1; }
	slapd_config_ldif >"$SLAPD_DIR/config.ldif"
	slapadd -n0 -F "$SLAPD_DIR/conf" -l "$SLAPD_DIR/config.ldif" \
		>"$SLAPD_DIR/slapadd.log" 2>&1 || { diag "$(cat "$SLAPD_DIR/slapadd.log")"; return 1; }
	# Quick mode (-q): no consistency checks, as for a first load.
	if [ -n "$bulk" ]; then
		{ slapd_base_ldif; echo; cat "$bulk"; } |
		    slapadd -q -F "$SLAPD_DIR/conf" -b "$SLAPD_SUFFIX" \
		    >>"$SLAPD_DIR/slapadd.log" 2>&1 ||
			{ diag "$(tail -5 "$SLAPD_DIR/slapadd.log")"; return 1; }
	fi
	for try in 1 2 3 4 5; do
		slapd_launch && break
		slapd_stop
	done
	[ -n "$SLAPD_PID" ] || { diag "slapd did not start: $(tail -5 "$SLAPD_DIR/slapd.log")"; return 1; }
	ldapmodify -x -H "$SLAPD_LDAPI" -D cn=config -w "$SLAPD_ROOTPW" \
		-f "$top_srcdir/conf/ldap/acl.ldif" >"$SLAPD_DIR/acl.log" 2>&1 ||
		{ diag "$(cat "$SLAPD_DIR/acl.log")"; return 1; }
	[ -n "$bulk" ] || slapd_base_ldif | slapd_admin ldapadd >/dev/null
}

# Stop the server by its pid file and wait for it: no slapd outlives a
# test.  A stopped (SIGSTOP) server is woken first.
slapd_stop() {
	local pid i
	pid=$(cat "$SLAPD_DIR/slapd.pid" 2>/dev/null || echo "$SLAPD_PID")
	[ -n "$pid" ] || return 0
	kill -CONT "$pid" 2>/dev/null
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	SLAPD_PID=""
	rm -f "$SLAPD_DIR/slapd.pid"
	return 0
}

slapd_cleanup() {
	slapd_stop
	tap_cleanup
}
trap slapd_cleanup EXIT

slapd_admin() {
	local cmd=$1
	shift
	"$cmd" -x -H "$SLAPD_LDAPI" -D "$SLAPD_ROOTDN" -w "$SLAPD_ROOTPW" "$@"
}

slapd_user_dn() {
	echo "uid=$1,ou=people,$SLAPD_SUFFIX"
}

# slapd_user_ldif NAME UIDNUMBER [VALUE...]: the entry slapd_add_user adds.
slapd_user_ldif() {
	local name=$1 uid_number=$2 value
	shift 2
	cat <<EOF
dn: $(slapd_user_dn "$name")
objectClass: inetOrgPerson
objectClass: posixAccount
objectClass: seckeyUser
uid: $name
cn: $name
sn: $name
uidNumber: $uid_number
gidNumber: 100
homeDirectory: /home/$name
userPassword: $name-pw
EOF
	for value in "$@"; do
		echo "passkey: $value"
	done
}

slapd_add_user() {
	local name=$1
	shift
	slapd_user_ldif "$name" $((10000 + RANDOM % 50000)) "$@" |
	    slapd_admin ldapadd >/dev/null
}

# Replace (or, without values, delete) attr of name's entry.
slapd_set_values() {
	local name=$1 attr=$2 value
	shift 2
	{
		echo "dn: $(slapd_user_dn "$name")"
		echo "changetype: modify"
		echo "replace: $attr"
		for value in "$@"; do
			echo "$attr: $value"
		done
	} | slapd_admin ldapmodify >/dev/null
}

# The users are written by awk: one ldapadd per user would take minutes
# for 100,000.  uidNumbers from 100001 up.
slapd_users_ldif() {
	awk -v n="$1" -v prefix="$2" -v value="${3:-}" \
	    -v base="ou=people,$SLAPD_SUFFIX" 'BEGIN {
		for (i = 1; i <= n; i++) {
			name = sprintf("%s%06d", prefix, i)
			printf "dn: uid=%s,%s\nobjectClass: inetOrgPerson\n" \
			    "objectClass: posixAccount\nobjectClass: seckeyUser\n" \
			    "uid: %s\ncn: %s\nsn: %s\nuidNumber: %d\n" \
			    "gidNumber: 100\nhomeDirectory: /home/%s\n" \
			    "userPassword: %s-pw\n", name, base, name, name,
			    name, 100000 + i, name, name
			if (value != "")
				printf "passkey: %s\n", value
			printf "\n"
		} }'
}

slapd_reader_files() {
	LDAPDIR=$1
	LDAPCONF="$LDAPDIR/seckey-ldap.conf"
	mkdir -p -m 0755 "$LDAPDIR" &&
	install -m 0644 "$SLAPD_CA" "$LDAPDIR/ca.pem" &&
	printf '%s\n' "$SLAPD_READER_PW" > "$LDAPDIR/reader.secret" &&
	chown "$nobody_uid" "$LDAPDIR/reader.secret" &&
	chmod 0600 "$LDAPDIR/reader.secret"
}

slapd_reader_conf() {
	printf '%s\n' "uri = {\"ldaps://127.0.0.1:$SLAPD_TLS_PORT\"}" "base = \"$SLAPD_SUFFIX\"" \
		"bind_dn = \"$SLAPD_READER_DN\"" "bind_password_file = \"$LDAPDIR/reader.secret\"" \
		"user_dn = \"uid=%u,ou=people,$SLAPD_SUFFIX\"" \
		"tls_ca_file = \"$LDAPDIR/ca.pem\"" "timeout = 10" "$@" > "$LDAPCONF" &&
	chmod 0644 "$LDAPCONF"
}
