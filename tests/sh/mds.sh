# mds.sh: a test PKI and test FIDO Metadata Service BLOBs, made with
# openssl at test time (sourced after tap.sh).  Nothing is fetched.
#
#   mds_pki DIR       makes in DIR, each NAME.pem and NAME.key:
#                     fido-root      the test "FIDO root" (--root)
#                     mds-ca         an intermediate under it
#                     mds-signer     ES256 BLOB signer under mds-ca
#                     mds-signer-rsa RSA BLOB signer under mds-ca
#                     other-root, other-signer  a BLOB chain of another root
#                     maker-root     a key maker's attestation root
#                     maker-ca       its attestation CA (virtkey --attest-ca)
#                     rogue-root     an attestation CA nobody trusts
#   mds_entry AAGUID DESC ROOTNAME STATUS...   one entry (JSON) of a BLOB
#   mds_blob DIR OUT NO ENTRIES [SIGNER [JWS-SIGN OPTIONS]]
#                     OUT: a BLOB numbered NO listing ENTRIES (comma list
#                     of mds_entry), signed by SIGNER (mds-signer)
#   VK_AAGUID         the virtual key's model

JWS_SIGN="$top_builddir/tests/progs/jws-sign"
[ -x "$JWS_SIGN" ] || plan_skip_all "tests/progs/jws-sign is not built"
VK_AAGUID=86babe58-627a-45bd-885c-ff16bce5ed43

# pki_cert DIR NAME CN ISSUER CA(TRUE|FALSE) [rsa]: a key and certificate;
# ISSUER "-" makes it self-signed.
pki_cert() {
	local dir=$1 name=$2 cn=$3 issuer=$4 ca=$5 kind=${6:-ec} usage
	if [ "$kind" = rsa ]; then
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
		    -out "$dir/$name.key" 2>/dev/null || return 1
	else
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		    -out "$dir/$name.key" 2>/dev/null || return 1
	fi
	usage=digitalSignature
	[ "$ca" = TRUE ] && usage=keyCertSign,cRLSign
	printf 'basicConstraints=critical,CA:%s\nkeyUsage=critical,%s\nsubjectKeyIdentifier=hash\n' \
	    "$ca" "$usage" > "$dir/$name.ext"
	if [ "$issuer" = - ]; then
		openssl req -x509 -new -key "$dir/$name.key" -subj "/CN=$cn" \
		    -days 3650 -sha256 -addext "basicConstraints=critical,CA:$ca" \
		    -addext "keyUsage=critical,$usage" -out "$dir/$name.pem" 2>/dev/null
	else
		openssl req -new -key "$dir/$name.key" -subj "/CN=$cn" \
		    -out "$dir/$name.csr" 2>/dev/null &&
		openssl x509 -req -in "$dir/$name.csr" -CA "$dir/$issuer.pem" \
		    -CAkey "$dir/$issuer.key" -set_serial "0x$(openssl rand -hex 8)" \
		    -days 3650 -sha256 -extfile "$dir/$name.ext" \
		    -out "$dir/$name.pem" 2>/dev/null
	fi
}

mds_pki() {
	local d=$1
	mkdir -p "$d" &&
	pki_cert "$d" fido-root "Test FIDO Root" - TRUE &&
	pki_cert "$d" mds-ca "Test MDS CA" fido-root TRUE &&
	pki_cert "$d" mds-signer "Test MDS signer" mds-ca FALSE &&
	pki_cert "$d" mds-signer-rsa "Test MDS signer RSA" mds-ca FALSE rsa &&
	pki_cert "$d" other-root "Another Root" - TRUE &&
	pki_cert "$d" other-signer "Another MDS signer" other-root FALSE &&
	pki_cert "$d" maker-root "Test Maker Attestation Root" - TRUE &&
	pki_cert "$d" maker-ca "Test Maker Attestation CA" maker-root TRUE &&
	pki_cert "$d" rogue-root "Rogue Attestation CA" - TRUE
}

# Base64 of a certificate's DER.
cert_b64() {
	openssl x509 -in "$1" -outform DER | base64 -w0
}

# mds_entry AAGUID DESC ROOT-PEM STATUS...
mds_entry() {
	local aaguid=$1 desc=$2 root=$3 reports="" s i=10
	shift 3
	for s in "$@"; do
		reports+="${reports:+,}{\"status\":\"$s\",\"effectiveDate\":\"2024-01-$i\"}"
		i=$((i + 1))
	done
	printf '{"aaguid":"%s","metadataStatement":{"legalHeader":"test","aaguid":"%s","description":"%s","schema":3,"attestationRootCertificates":["%s"]},"statusReports":[%s],"timeOfLastStatusChange":"2024-01-01"}' \
	    "$aaguid" "$aaguid" "$desc" "$(cert_b64 "$root")" "$reports"
}

# mds_blob DIR OUT NO ENTRIES [SIGNER [JWS-SIGN OPTIONS...]]
mds_blob() {
	local d=$1 out=$2 no=$3 entries=$4 signer=${5:-mds-signer} alg=ES256 chain
	shift 5 2>/dev/null || shift $#
	case "$signer" in
	*rsa) alg=RS256; [[ " $* " == *" --pss "* ]] && alg=PS256 ;;
	esac
	chain="\"$(cert_b64 "$d/$signer.pem")\""
	case "$signer" in
	mds-*) chain+=",\"$(cert_b64 "$d/mds-ca.pem")\"" ;;
	esac
	printf '{"alg":"%s","typ":"JWT","x5c":[%s]}' "$alg" "$chain" > "$out.header"
	printf '{"legalHeader":"Test metadata, not the FIDO Alliance'"'"'s","no":%s,"nextUpdate":"2099-01-01","entries":[%s]}' \
	    "$no" "$entries" > "$out.payload"
	"$JWS_SIGN" "$@" "$d/$signer.key" "$out.header" "$out.payload" > "$out"
}
