/*
 * register.c: "seckey register [--name NAME] [--device PATH]
 * [--discoverable] [--print-mapping[=value|ldif]]" (the mapping:
 * mapping.c).
 *
 * --discoverable makes a resident credential for the usernameless
 * sign-in (pam_seckey(8)): its user handle, 32 random bytes, goes into
 * the entry (user_handle), so that the sign-in can require that the
 * account the key names holds this very credential with this handle.
 *
 * With keys = "ldap" the new key goes into the user's directory entry
 * (lib/seckey_store_ldap.c), except with --print-mapping: then nothing
 * is written anywhere and the value is printed, for a directory whose
 * administrator adds it (ipa user-add-passkey).  keys = "command" is
 * read-only, but --print-mapping works there too, for the same reason.
 *
 * Everything that can be refused without the key is refused before the
 * PIN is asked for: a full list, a name in use, a key without a PIN, a
 * model the policy does not allow.  The list is read again under the
 * lock before the new entry goes in, so that a registration running at
 * the same time is kept too.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "helper.h"
#include "seckey_audit.h"
#include "seckey_devinfo.h"
#include "seckey_handles.h"
#include "seckey_model.h"
#include "seckey_register.h"
#include "seckey_text.h"

/* Default names are "MODEL 1" .. "MODEL 99". */
#define DEFAULT_NAME_MAX	99

struct registration {
	const char			*name;		/* --name, or NULL */
	unsigned int			 max_keys;	/* the policy's */
	const struct seckey_credential	*cred;
	enum seckey_transport		 transport;
	time_t				 created;
	enum helper_mapping		 mapping;	/* --print-mapping */
	bool				 print_only;	/* a store not a file */
	bool				 discoverable;	/* --discoverable */
	char				 chosen[SECKEY_NAME_MAX * 4 + 1];
};

/* Refusals that need neither the key nor the PIN: a full list, a name
 * in use. */
static int
check_list(const struct helper_ctx *ctx, const struct seckey_keylist *list,
    const char *name)
{
	struct seckey_diag diag;
	int r;

	seckey_diag_clear(&diag);
	if ((r = seckey_keylist_can_add(list, ctx->policy->max_keys, name,
	    &diag)) != SECKEY_OK)
		return helper_key_fail(ctx, r, NULL, name, &diag);

	return EXIT_DONE;
}

static int
check_aaguid(const struct helper_ctx *ctx, const struct seckey_aaguid *aaguid)
{
	char text[SECKEY_AAGUID_TEXT_LEN];

	if (seckey_policy_aaguid_allowed(ctx->policy, aaguid))
		return EXIT_DONE;
	seckey_aaguid_format(aaguid, text);

	return helper_refuse("the policy does not allow this security key "
	    "model (%s, AAGUID %s)", helper_model(aaguid), text);
}

/* A key without a PIN, or of a model the policy refuses, is refused
 * before the user types anything; so is a key that cannot keep a
 * protected discoverable credential, when one is asked for. */
static int
check_device(const struct helper_ctx *ctx, struct seckey_device *dev,
    bool discoverable)
{
	struct seckey_device_facts facts;
	struct seckey_diag diag;
	int r;

	if (!seckey_device_has_pin(dev))
		return helper_refuse("the security key has no PIN; set one "
		    "with \"seckey pin set\" first");
	if (discoverable && !seckey_device_can_discover(dev))
		return helper_refuse("this security key cannot keep a "
		    "discoverable credential protected by its PIN (it lacks "
		    "credProtect or credential management); register it "
		    "without --discoverable");
	seckey_diag_clear(&diag);
	if ((r = seckey_device_facts(dev, &facts, &diag)) != SECKEY_OK)
		return helper_device_fail(dev, r, &diag);
	if (facts.has_aaguid)
		return check_aaguid(ctx, &facts.aaguid);

	return EXIT_DONE;
}

/* "MODEL n" with the smallest n not in use. */
static int
default_name(const struct seckey_keylist *list,
    const struct seckey_aaguid *aaguid, char *name, size_t size,
    struct seckey_diag *diag)
{
	const char *model = seckey_model_name(aaguid);
	int n;

	if (model == NULL)
		model = "Security key";
	for (n = 1; n <= DEFAULT_NAME_MAX; n++) {
		snprintf(name, size, "%s %d", model, n);
		if (seckey_keylist_find(list, name) == NULL)
			return SECKEY_OK;
	}
	seckey_diag_set(diag, NULL, 0, "no free default name; give one with "
	    "--name");

	return SECKEY_ERR_DUP_NAME;
}

/* The new entry, as the list holds it and --print-mapping prints it. */
static void
entry_info(const struct registration *reg, struct seckey_key_info *info)
{
	memset(info, 0, sizeof(*info));
	info->name = reg->chosen;
	info->cred_id = reg->cred->cred_id;
	info->cred_id_len = reg->cred->cred_id_len;
	info->pubkey_der = reg->cred->pubkey_der;
	info->pubkey_der_len = reg->cred->pubkey_der_len;
	info->alg = reg->cred->alg;
	info->aaguid = reg->cred->aaguid;
	info->transport = reg->transport;
	info->created = reg->created;
	info->user_handle = reg->cred->user_id;
	info->user_handle_len = reg->cred->user_id_len;
}

/* Under the lock, with the list as it is now on disk (seckey_store). */
static int
add_entry(struct seckey_keylist *list, void *arg, struct seckey_diag *diag)
{
	struct registration *reg = arg;
	struct seckey_key_info info;
	int r;

	if (reg->name != NULL)
		snprintf(reg->chosen, sizeof(reg->chosen), "%s", reg->name);
	else if ((r = default_name(list, &reg->cred->aaguid, reg->chosen,
	    sizeof(reg->chosen), diag)) != SECKEY_OK)
		return r;
	entry_info(reg, &info);

	return seckey_keylist_add(list, reg->max_keys, &info,
	    diag);
}

/*
 * Without --name, a name in use can only mean that every default name
 * is taken, which the diagnostic of default_name() says.
 */
static int
add_to_list(struct helper_ctx *ctx, struct registration *reg)
{
	struct seckey_diag diag;
	int r;

	reg->max_keys = ctx->policy->max_keys;
	seckey_diag_clear(&diag);
	if ((r = seckey_store_update(ctx->store, SECKEY_STORE_CREATE,
	    add_entry, reg, &diag)) != SECKEY_OK)
		return helper_key_fail(ctx, r, NULL, reg->name, &diag);

	return EXIT_DONE;
}

/*
 * attestation = "verify": the trust is loaded before the key is touched,
 * so that a missing or unsafe store is refused before the PIN is asked.
 */
static int
load_trust(const struct helper_ctx *ctx, struct seckey_trust **trustp)
{
	struct seckey_diag diag;
	int r;

	*trustp = NULL;
	if (ctx->policy->attestation != SECKEY_ATTESTATION_VERIFY)
		return EXIT_DONE;
	seckey_diag_clear(&diag);
	if ((r = seckey_trust_load(ctx->policy->state_dir,
	    ctx->policy->attestation_roots, trustp, &diag)) != SECKEY_OK)
		return helper_fail(r, &diag);

	return EXIT_DONE;
}

/* --print-mapping on a store seckey does not write: the name only. */
static int
name_only(const struct helper_ctx *ctx, struct registration *reg,
    const struct seckey_keylist *list)
{
	struct seckey_diag diag;
	int r;

	seckey_diag_clear(&diag);
	if (reg->name != NULL) {
		snprintf(reg->chosen, sizeof(reg->chosen), "%s", reg->name);
		return EXIT_DONE;
	}
	if ((r = default_name(list, &reg->cred->aaguid, reg->chosen,
	    sizeof(reg->chosen), &diag)) != SECKEY_OK)
		return helper_key_fail(ctx, r, NULL, NULL, &diag);

	return EXIT_DONE;
}

/*
 * What attestation = "verify" refused, said plainly, and audited
 * (seckey_audit.h): a refused attestation may be a counterfeit key.
 */
static int
refuse_attestation(const struct helper_ctx *ctx, int r,
    const struct seckey_diag *diag)
{
	struct seckey_audit_record rec;

	memset(&rec, 0, sizeof(rec));
	rec.event = SECKEY_AUDIT_ATTESTATION;
	rec.user = ctx->user.name;
	rec.reason = diag->msg;
	rec.refused = true;
	(void)seckey_audit_log(&rec);
	if (r == SECKEY_ERR_MODEL_STATUS)
		return helper_refuse("the metadata marks this security key "
		    "model as revoked or compromised (%s); the key was not "
		    "registered", diag->msg);

	return helper_refuse("the attestation of this security key is not "
	    "trusted (attestation = \"verify\"): %s; the key was not "
	    "registered", diag->msg);
}

static int
make_credential(struct helper_ctx *ctx, struct seckey_device *dev,
    const struct seckey_keylist *list, const struct seckey_trust *trust,
    bool discoverable, struct seckey_credential **credp)
{
	struct seckey_register_opts opts;
	const struct seckey_key *dup = NULL;
	struct seckey_diag diag;
	struct seckey_pin pin;
	int r, status;

	if ((status = helper_read_pin(ctx->policy->pin_prompt,
	    &pin)) != EXIT_DONE)
		return status;
	helper_prompt(ctx->policy->touch_prompt);
	memset(&opts, 0, sizeof(opts));
	opts.rp_id = ctx->policy->rp_id;
	opts.user_name = ctx->user.name;
	opts.timeout_ms = (int)ctx->policy->timeout * 1000;
	opts.trust = trust;
	opts.discoverable = discoverable;
	seckey_diag_clear(&diag);
	r = seckey_register(dev, list, &pin, &opts, credp, &dup, &diag);
	seckey_pin_wipe(&pin);

	if (r == SECKEY_ERR_EXCLUDED && dup != NULL)
		return helper_refuse("this security key is already registered "
		    "as \"%s\"", dup->name);
	if (r == SECKEY_ERR_EXCLUDED)
		return helper_refuse("this security key is already registered");
	if (r == SECKEY_ERR_SIGNATURE)
		return helper_refuse("the attestation signature of the "
		    "security key does not verify; the key was not "
		    "registered");
	if (r == SECKEY_ERR_UNTRUSTED || r == SECKEY_ERR_MODEL_STATUS)
		return refuse_attestation(ctx, r, &diag);
	if (r != SECKEY_OK)
		return helper_device_fail(dev, r, &diag);

	/* The attested model, not only the one getInfo claimed. */
	return check_aaguid(ctx, &(*credp)->aaguid);
}

static int
parse(struct helper_ctx *ctx, int argc, char **argv, const char **namep,
    const char **devicep, enum helper_mapping *mappingp, bool *discoverablep)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "device", required_argument, NULL, 'd' },
		{ "discoverable", no_argument, NULL, 'D' },
		{ "print-mapping", optional_argument, NULL, 'm' },
		HELPER_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	char fault[SECKEY_DIAG_MSG_MAX];
	int c;

	while ((c = helper_getopt(ctx, argc, argv, longopts)) != -1) {
		if (c == 'n')
			*namep = optarg;
		else if (c == 'd')
			*devicep = optarg;
		else if (c == 'D')
			*discoverablep = true;
		else if (c == 'm' &&
		    helper_mapping_parse(optarg, mappingp) != 0)
			return helper_usage_error(ctx, "--print-mapping takes "
			    "\"value\" or \"ldif\"");
		else if (c != 'm' && c != 'D')
			return helper_help(ctx, c);
	}
	if (optind != argc)
		return helper_usage_error(ctx, "unexpected argument \"%s\"",
		    argv[optind]);
	if (*namep != NULL &&
	    seckey_key_name_check(*namep, fault, sizeof(fault)) != SECKEY_OK)
		return helper_usage_error(ctx, "%s", fault);

	return EXIT_DONE;
}

/*
 * root registers a discoverable credential: note its user handle in the
 * index, so its first sign-in without a user name needs no credential
 * management to name the account.  A hint the sign-in also learns, so a
 * failure is only a warning.
 */
static void
index_handle(const struct helper_ctx *ctx, const struct registration *reg)
{
	struct seckey_diag diag;

	if (!reg->discoverable || reg->print_only || geteuid() != 0)
		return;
	seckey_diag_clear(&diag);
	if (seckey_handles_learn(ctx->policy->state_dir, ctx->policy->rp_id,
	    reg->cred->user_id, reg->cred->user_id_len, ctx->user.name,
	    &diag) != SECKEY_OK)
		helper_msg("warning: the user handle index was not updated "
		    "(the first sign-in without a user name will ask the key "
		    "instead): %s", diag.msg);
}

static int
registration(struct helper_ctx *ctx, struct registration *reg,
    const char *device)
{
	struct seckey_keylist *list = NULL;
	struct seckey_credential *cred = NULL;
	struct seckey_device *dev = NULL;
	struct seckey_trust *trust = NULL;
	struct seckey_key_info info;
	int status;

	if ((status = helper_list_read(ctx, SECKEY_MAX_KEYS,
	    &list)) != EXIT_DONE ||
	    (status = check_list(ctx, list, reg->name)) != EXIT_DONE ||
	    (status = load_trust(ctx, &trust)) != EXIT_DONE ||
	    (status = helper_device_pick(ctx, device, &dev)) != EXIT_DONE ||
	    (status = check_device(ctx, dev, reg->discoverable)) !=
	    EXIT_DONE ||
	    (status = make_credential(ctx, dev, list, trust,
	    reg->discoverable, &cred)) != EXIT_DONE)
		goto out;
	reg->cred = cred;
	reg->transport = seckey_device_transport(dev);
	reg->created = time(NULL);
	if (reg->print_only)
		status = name_only(ctx, reg, list);
	else
		status = add_to_list(ctx, reg);
	if (status != EXIT_DONE)
		goto out;
	index_handle(ctx, reg);
	if (reg->print_only)
		helper_msg("made a credential \"%s\" (%s, %s) for %s; nothing "
		    "was written: add the value below to the directory",
		    reg->chosen, helper_model(&cred->aaguid),
		    seckey_transport_name(reg->transport), ctx->user.name);
	else
		helper_msg("registered \"%s\" (%s, %s) for %s%s", reg->chosen,
		    helper_model(&cred->aaguid),
		    seckey_transport_name(reg->transport), ctx->user.name,
		    reg->discoverable ? ", discoverable: it can sign in "
		    "without a user name where the administrator allows it" :
		    "");
	entry_info(reg, &info);
	status = helper_mapping_print(ctx, &info, reg->mapping);
out:
	reg->cred = NULL;
	seckey_trust_free(&trust);
	seckey_credential_free(&cred);
	seckey_device_free(&dev);
	seckey_keylist_free(&list);

	return status;
}

int
cmd_register(struct helper_ctx *ctx, int argc, char **argv)
{
	struct registration reg;
	const char *device = NULL;
	int status;

	memset(&reg, 0, sizeof(reg));
	if ((status = parse(ctx, argc, argv, &reg.name, &device,
	    &reg.mapping, &reg.discoverable)) != EXIT_DONE)
		return status == HELPER_HELP_SHOWN ? EXIT_DONE : status;
	if ((status = helper_load(ctx, true)) != EXIT_DONE)
		return status;
	reg.print_only = reg.mapping != HELPER_MAPPING_NONE &&
	    strcmp(seckey_store_kind(ctx->store), "file") != 0;
	if (!reg.print_only &&
	    (status = helper_store_writable(ctx)) != EXIT_DONE)
		return status;

	return registration(ctx, &reg, device);
}
