#include "audit/checkpointkey.h"

#include "audit/canonicaljson.h"
#include "core/timeutil.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTimeZone>

#include <openssl/evp.h>
#include <openssl/pem.h>

namespace Shivx {

namespace {

QString opensslError(const char *what)
{
    return QStringLiteral("%1 failed (OpenSSL)").arg(QLatin1String(what));
}

struct BioDeleter
{
    void operator()(BIO *b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

QByteArray bioContents(BIO *bio)
{
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(n));
}

bool isLowerHex(const QByteArray &s, int size)
{
    return s.size() == size && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
}

} // namespace

QByteArray Checkpoint::signedMessage() const
{
    const QJsonObject o { { QStringLiteral("hash"), QString::fromLatin1(hash) },
        { QStringLiteral("seq"), seq }, { QStringLiteral("stream"), stream },
        { QStringLiteral("ts"), TimeUtil::toRfc3339(tsMs) } };
    return CanonicalJson::serialize(o).value(); // strings and a small integer: cannot fail
}

QByteArray Checkpoint::toLine() const
{
    const QJsonObject o { { QStringLiteral("hash"), QString::fromLatin1(hash) },
        { QStringLiteral("key"), QString::fromLatin1(key) }, { QStringLiteral("seq"), seq },
        { QStringLiteral("sig"), QString::fromLatin1(signature) },
        { QStringLiteral("stream"), stream }, { QStringLiteral("ts"), TimeUtil::toRfc3339(tsMs) } };
    return CanonicalJson::serialize(o).value();
}

Result<Checkpoint> Checkpoint::parse(const QByteArray &line)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &pe);
    if (!doc.isObject())
        return makeError(
            "audit.bad_checkpoint", QStringLiteral("not a JSON object (%1)").arg(pe.errorString()));
    const QJsonObject o = doc.object();
    static const QStringList keys { QStringLiteral("hash"), QStringLiteral("key"),
        QStringLiteral("seq"), QStringLiteral("sig"), QStringLiteral("stream"),
        QStringLiteral("ts") };
    if (o.keys() != keys)
        return makeError("audit.bad_checkpoint",
            QStringLiteral("members are [%1], expected [%2]")
                .arg(o.keys().join(QLatin1Char(',')), keys.join(QLatin1Char(','))));
    Checkpoint c;
    c.hash = o.value(QStringLiteral("hash")).toString().toLatin1();
    c.key = o.value(QStringLiteral("key")).toString().toLatin1();
    c.signature = o.value(QStringLiteral("sig")).toString().toLatin1();
    c.stream = o.value(QStringLiteral("stream")).toString();
    const double seq = o.value(QStringLiteral("seq")).toDouble(-1);
    if (seq < 1 || seq != double(qint64(seq)))
        return makeError("audit.bad_checkpoint", QStringLiteral("seq must be a positive integer"));
    c.seq = qint64(seq);
    if (!isLowerHex(c.hash, 64) || !isLowerHex(c.key, 64) || !isLowerHex(c.signature, 128))
        return makeError("audit.bad_checkpoint",
            QStringLiteral("hash/key must be 64 and sig 128 lowercase hex characters"));
    const QString ts = o.value(QStringLiteral("ts")).toString();
    const QDateTime dt = QDateTime::fromString(ts, QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
    if (!dt.isValid() || ts.size() != 24)
        return makeError("audit.bad_checkpoint",
            QStringLiteral("ts \"%1\" is not RFC 3339 UTC with milliseconds").arg(ts.left(40)));
    c.tsMs = QDateTime(dt.date(), dt.time(), QTimeZone::utc()).toMSecsSinceEpoch();
    return c;
}

struct CheckpointKey::Private
{
    EVP_PKEY *key = nullptr;
    bool hasPrivate = false;
    ~Private() { EVP_PKEY_free(key); }
};

CheckpointKey::CheckpointKey()
    : d(std::make_unique<Private>())
{
}
CheckpointKey::~CheckpointKey() = default;
CheckpointKey::CheckpointKey(CheckpointKey &&) noexcept = default;
CheckpointKey &CheckpointKey::operator=(CheckpointKey &&) noexcept = default;

QString CheckpointKey::privateKeyPath(const QString &keysDir)
{
    return QDir(keysDir).filePath(QStringLiteral("checkpoint.key"));
}
QString CheckpointKey::publicKeyPath(const QString &keysDir)
{
    return QDir(keysDir).filePath(QStringLiteral("checkpoint.pub"));
}

Result<CheckpointKey> CheckpointKey::generate()
{
    CheckpointKey k;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
    const bool ok = ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &k.d->key) == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!ok)
        return makeError("audit.key", opensslError("Ed25519 key generation"));
    k.d->hasPrivate = true;
    return k;
}

Result<CheckpointKey> CheckpointKey::loadPrivatePem(const QByteArray &pem, const QString &source)
{
    BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    CheckpointKey k;
    k.d->key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
    if (!k.d->key || EVP_PKEY_get_id(k.d->key) != EVP_PKEY_ED25519)
        return makeError(
            "audit.key", QStringLiteral("%1: not an Ed25519 private key in PEM").arg(source));
    k.d->hasPrivate = true;
    return k;
}

Result<CheckpointKey> CheckpointKey::loadPublicPem(const QByteArray &pem, const QString &source)
{
    BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    CheckpointKey k;
    k.d->key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
    if (!k.d->key || EVP_PKEY_get_id(k.d->key) != EVP_PKEY_ED25519)
        return makeError(
            "audit.key", QStringLiteral("%1: not an Ed25519 public key in PEM").arg(source));
    return k;
}

Result<CheckpointKey> CheckpointKey::loadPublicFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(
            "audit.key", QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    return loadPublicPem(f.readAll(), path);
}

Result<CheckpointKey> CheckpointKey::loadOrCreate(const QString &keysDir)
{
    const QString keyPath = privateKeyPath(keysDir);
    if (QFile::exists(keyPath)) {
        QFile f(keyPath);
        if (!f.open(QIODevice::ReadOnly))
            return makeError(
                "audit.key", QStringLiteral("cannot read %1: %2").arg(keyPath, f.errorString()));
        return loadPrivatePem(f.readAll(), keyPath);
    }
    if (!QDir().mkpath(keysDir)
        || !QFile::setPermissions(
            keysDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner))
        return makeError("audit.key", QStringLiteral("cannot create %1").arg(keysDir));
    auto key = generate();
    if (!key)
        return key.error();
    // Private key first, with 0600 set before any byte lands; the public key can always be
    // derived again from it, so a crash between the two files loses nothing.
    const auto write
        = [](const QString &path, const QByteArray &bytes, QFileDevice::Permissions perms) {
              QSaveFile f(path);
              return f.open(QIODevice::WriteOnly) && f.setPermissions(perms)
                  && f.write(bytes) == bytes.size() && f.commit();
          };
    if (!write(keyPath, key->privateKeyPem(), QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return makeError("audit.key", QStringLiteral("cannot write %1").arg(keyPath));
    if (!write(publicKeyPath(keysDir), key->publicKeyPem(),
            QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup
                | QFileDevice::ReadOther))
        return makeError(
            "audit.key", QStringLiteral("cannot write %1").arg(publicKeyPath(keysDir)));
    return key;
}

bool CheckpointKey::hasPrivateKey() const
{
    return d->key && d->hasPrivate;
}

QByteArray CheckpointKey::publicKeyPem() const
{
    if (!d->key)
        return {};
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PUBKEY(bio.get(), d->key);
    return bioContents(bio.get());
}

QByteArray CheckpointKey::privateKeyPem() const
{
    if (!hasPrivateKey())
        return {};
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), d->key, nullptr, nullptr, 0, nullptr, nullptr);
    return bioContents(bio.get());
}

QByteArray CheckpointKey::fingerprint() const
{
    unsigned char raw[32];
    size_t len = sizeof raw;
    if (!d->key || EVP_PKEY_get_raw_public_key(d->key, raw, &len) != 1)
        return {};
    return QCryptographicHash::hash(
        QByteArray(reinterpret_cast<const char *>(raw), int(len)), QCryptographicHash::Sha256)
        .toHex();
}

Result<void> CheckpointKey::sign(Checkpoint &checkpoint) const
{
    if (!hasPrivateKey())
        return makeError("audit.key", QStringLiteral("no private key to sign with"));
    const QByteArray message = checkpoint.signedMessage();
    unsigned char sig[64];
    size_t sigLen = sizeof sig;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const bool ok = ctx && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, d->key) == 1
        && EVP_DigestSign(ctx, sig, &sigLen,
               reinterpret_cast<const unsigned char *>(message.constData()), size_t(message.size()))
            == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return makeError("audit.key", opensslError("Ed25519 signing"));
    checkpoint.key = fingerprint();
    checkpoint.signature = QByteArray(reinterpret_cast<const char *>(sig), int(sigLen)).toHex();
    return {};
}

bool CheckpointKey::verify(const Checkpoint &checkpoint) const
{
    if (!d->key || checkpoint.key != fingerprint())
        return false;
    const QByteArray sig = QByteArray::fromHex(checkpoint.signature);
    if (sig.size() != 64)
        return false;
    const QByteArray message = checkpoint.signedMessage();
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const bool ok = ctx && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, d->key) == 1
        && EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(sig.constData()),
               size_t(sig.size()), reinterpret_cast<const unsigned char *>(message.constData()),
               size_t(message.size()))
            == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

} // namespace Shivx
