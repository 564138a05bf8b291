package org.opentrunk.admin.web;

import java.beans.FeatureDescriptor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Iterator;
import javax.el.ELContext;
import javax.el.ELResolver;
import javax.el.PropertyNotWritableException;

/**
 * Lets the pages read the API's JSON classes ({@code #{cdr.xTag}}), which hold their values in
 * public fields, not getters: adding getters would change what JSON-B writes. Read-only, and only
 * for classes of the API package, so nothing else becomes reachable from EL this way.
 */
public class PublicFieldELResolver extends ELResolver {

    static final String API_PACKAGE = "org.opentrunk.admin";

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        Field field = field(base, property);
        if (field == null) {
            return null;
        }
        try {
            Object value = field.get(base);
            context.setPropertyResolved(base, property);
            return value;
        } catch (IllegalAccessException e) {
            return null;
        }
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        Field field = field(base, property);
        if (field == null) {
            return null;
        }
        context.setPropertyResolved(base, property);
        return field.getType();
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        if (field(base, property) != null) {
            throw new PropertyNotWritableException("read-only: " + property);
        }
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        if (field(base, property) == null) {
            return false;
        }
        context.setPropertyResolved(base, property);
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return base == null ? null : String.class;
    }

    private static Field field(Object base, Object property) {
        if (base == null || !(property instanceof String name) || !API_PACKAGE.equals(base.getClass().getPackageName())) {
            return null;
        }
        try {
            Field field = base.getClass().getField(name);
            return Modifier.isStatic(field.getModifiers()) ? null : field;
        } catch (NoSuchFieldException e) {
            return null;
        }
    }
}
