#pragma once
// Test helpers for widgets: a panel's parts found by their object names (the names users' tools and
// style sheets see), and the worker thread every panel test sets up.

#include <QObject>
#include <QString>
#include <QtGlobal>

#include <type_traits>

// The child of root with this type and object name. A test that looks for a part the widget does not
// have stops here with both names, rather than crashing on a null pointer further on.
template <class T>
T* child(const QObject* root, const char* name)
{
    T* found = root->findChild<T*>(QLatin1String(name));
    if (!found)
        qFatal("%s has no %s named \"%s\"", qPrintable(root->objectName()),
               std::remove_pointer_t<T>::staticMetaObject.className(), name);
    return found;
}
