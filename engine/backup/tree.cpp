#include "backup/tree.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

namespace Shivx::Backup {

namespace {

const char *typeName(TreeNode::Type t)
{
    switch (t) {
    case TreeNode::Type::File:
        return "file";
    case TreeNode::Type::Dir:
        return "dir";
    case TreeNode::Type::Symlink:
        return "symlink";
    }
    return "file";
}

// Valid UTF-8 goes as "name"; anything else as "name_b64", so every byte sequence survives.
void putBytes(QJsonObject &o, const char *key, const std::string &bytes)
{
    QStringDecoder decode(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decode(QByteArrayView(bytes.data(), qsizetype(bytes.size())));
    if (!decode.hasError())
        o.insert(QLatin1String(key), text);
    else
        o.insert(QLatin1String(key) + QStringLiteral("_b64"),
            QString::fromLatin1(QByteArray(bytes.data(), qsizetype(bytes.size())).toBase64()));
}

bool getBytes(const QJsonObject &o, const char *key, std::string *out)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isString()) {
        *out = v.toString().toStdString();
        return true;
    }
    const QJsonValue b = o.value(QLatin1String(key) + QStringLiteral("_b64"));
    if (!b.isString())
        return false;
    *out = QByteArray::fromBase64(b.toString().toLatin1()).toStdString();
    return true;
}

QJsonArray timeOf(std::int64_t s, std::int64_t ns)
{
    return QJsonArray { qint64(s), qint64(ns) };
}

} // namespace

QByteArray encodeTree(const std::vector<TreeNode> &nodes)
{
    QJsonArray list;
    for (const TreeNode &n : nodes) {
        QJsonObject o;
        putBytes(o, "name", n.name);
        o.insert(QStringLiteral("type"), QLatin1String(typeName(n.type)));
        o.insert(QStringLiteral("mode"), qint64(n.mode));
        o.insert(QStringLiteral("uid"), qint64(n.uid));
        o.insert(QStringLiteral("gid"), qint64(n.gid));
        o.insert(QStringLiteral("mtime"), timeOf(n.mtimeSec, n.mtimeNsec));
        o.insert(QStringLiteral("ctime"), timeOf(n.ctimeSec, n.ctimeNsec));
        o.insert(QStringLiteral("inode"), QString::number(n.inode));
        switch (n.type) {
        case TreeNode::Type::File: {
            o.insert(QStringLiteral("size"), qint64(n.size));
            o.insert(QStringLiteral("sha256"), QString::fromStdString(n.sha256.hex()));
            QJsonArray chunks;
            for (const Id &c : n.chunks)
                chunks.append(QString::fromStdString(c.hex()));
            o.insert(QStringLiteral("chunks"), chunks);
            break;
        }
        case TreeNode::Type::Dir:
            o.insert(QStringLiteral("subtree"), QString::fromStdString(n.subtree.hex()));
            break;
        case TreeNode::Type::Symlink:
            putBytes(o, "target", n.target);
            break;
        }
        list.append(o);
    }
    return QJsonDocument(QJsonObject { { QStringLiteral("nodes"), list } })
        .toJson(QJsonDocument::Compact);
}

Result<std::vector<TreeNode>> decodeTree(const std::uint8_t *data, std::size_t size)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size)), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return makeError("backup.format",
            QStringLiteral("tree object is not valid JSON (%1 at byte %2)")
                .arg(pe.errorString())
                .arg(pe.offset));
    std::vector<TreeNode> out;
    const QJsonArray list = doc.object().value(QStringLiteral("nodes")).toArray();
    out.reserve(std::size_t(list.size()));
    for (const QJsonValue &v : list) {
        const QJsonObject o = v.toObject();
        TreeNode n;
        if (!getBytes(o, "name", &n.name) || n.name.empty() || n.name == "." || n.name == ".."
            || n.name.find('/') != std::string::npos)
            return makeError("backup.format", QStringLiteral("tree entry with an invalid name"));
        const QString type = o.value(QStringLiteral("type")).toString();
        n.type = type == QLatin1String("dir")  ? TreeNode::Type::Dir
            : type == QLatin1String("symlink") ? TreeNode::Type::Symlink
                                               : TreeNode::Type::File;
        n.mode = std::uint32_t(o.value(QStringLiteral("mode")).toInteger());
        n.uid = std::uint32_t(o.value(QStringLiteral("uid")).toInteger());
        n.gid = std::uint32_t(o.value(QStringLiteral("gid")).toInteger());
        const QJsonArray mt = o.value(QStringLiteral("mtime")).toArray();
        n.mtimeSec = mt.at(0).toInteger();
        n.mtimeNsec = mt.at(1).toInteger();
        const QJsonArray ct = o.value(QStringLiteral("ctime")).toArray();
        n.ctimeSec = ct.at(0).toInteger();
        n.ctimeNsec = ct.at(1).toInteger();
        n.inode = o.value(QStringLiteral("inode")).toString().toULongLong();
        if (n.type == TreeNode::Type::File) {
            n.size = std::uint64_t(o.value(QStringLiteral("size")).toInteger());
            Id::fromHex(o.value(QStringLiteral("sha256")).toString().toStdString(), &n.sha256);
            for (const QJsonValue &c : o.value(QStringLiteral("chunks")).toArray()) {
                Id id;
                if (!Id::fromHex(c.toString().toStdString(), &id))
                    return makeError("backup.format",
                        QStringLiteral("tree entry %1 names an invalid chunk id")
                            .arg(QString::fromStdString(n.name)));
                n.chunks.push_back(id);
            }
        } else if (n.type == TreeNode::Type::Dir) {
            if (!Id::fromHex(
                    o.value(QStringLiteral("subtree")).toString().toStdString(), &n.subtree))
                return makeError("backup.format",
                    QStringLiteral("directory entry %1 names no valid subtree")
                        .arg(QString::fromStdString(n.name)));
        } else {
            getBytes(o, "target", &n.target);
        }
        out.push_back(std::move(n));
    }
    return out;
}

} // namespace Shivx::Backup
